"""The command line's options: the argument parser alone, which imports nothing that lints.

``ftlint --help`` is answered from here (ftlint.entry parses with this parser
before the CLI is imported), so it costs an interpreter, argparse and this
module: no engine, rule, provider profile, tokenizer or submit code. Help
texts that would cost imports (the shipped chat templates) are made only
when the help is printed (:func:`_deferred`). The
defaults of the submit options live here, beside the options, and the submit
modules read them from here.
"""

from __future__ import annotations

import argparse

from ftlint import __version__, limits
from ftlint.terminal import COLOR_CHOICES

#: --method's choices (ftlint.formats.METHODS; tests/test_arguments.py checks they agree).
METHOD_CHOICES = ("supervised", "dpo", "reinforcement")
#: --format's choices (ftlint.reporters.REPORTER_NAMES; checked by the same test).
FORMAT_CHOICES = ("text", "concise", "json", "github", "sarif", "junit", "html")

# The submit options' defaults and bounds (ftlint.submit reads them from here).
DEFAULT_POLL_INTERVAL_SECONDS = 5.0
DEFAULT_CONNECT_TIMEOUT_SECONDS = 10.0
DEFAULT_READ_TIMEOUT_SECONDS = 120.0
DEFAULT_STATE_FILE = ".ftlint/uploads.json"
SEED_MAX = 2_147_483_647
SUFFIX_MAX_CHARS = 64
METADATA_MAX_PAIRS = 16
# The SDK's own chunked uploader uses 64 MiB parts, so the service accepts that much per part.
MAX_PART_BYTES = 64 * 1024 * 1024


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        # True while build_parser adds arguments: argparse then makes a help formatter for each add_argument only
        # to check its metavar, and throws its text away; a formatter without a width imports shutil and asks the
        # terminal's size (about 2 ms of every run). Help, usage and error text get the real width.
        self.checking = True
        super().__init__(*args, **kwargs)

    def _get_formatter(self):
        if self.checking:
            return self.formatter_class(prog=self.prog, width=80)
        return super()._get_formatter()

    def error(self, message):  # one line, exit 2, no usage dump
        raise UsageError(message)

    def format_help(self) -> str:
        for action in self._actions:
            make = getattr(action, "deferred_help", None)
            if make is not None:
                action.help = make()
                action.deferred_help = None
        for group in self._action_groups:
            make = getattr(group, "deferred_description", None)
            if make is not None:
                group.description = make()
                group.deferred_description = None
        return super().format_help()


def _deferred(action: argparse.Action, make) -> None:
    """A help text that costs an import: made by ``make`` only when --help prints it."""
    action.help = ""
    action.deferred_help = make


def _also_output(text: str) -> tuple[str, str]:
    from ftlint.reporters.fanout import parse_also_output

    try:
        return parse_also_output(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="ftlint",
        description="Lint fine-tuning datasets for the provider or trainer they go to (OpenAI, Azure OpenAI, Together, "
                    "Fireworks, TRL, Axolotl, LLaMA-Factory, Vertex Gemini, Bedrock Nova; --list-providers).",
        epilog="Exit codes: 0 no errors (warnings allowed); 1 errors found (or warnings with --strict); "
        "2 usage or configuration error, or an unreadable input.",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="dataset files (.jsonl, .jsonl.gz, a JSON array, .csv, .tsv, .xlsx, .parquet) or - for stdin")
    p.add_argument("--version", action="version", version=f"ftlint {__version__}")
    g = p.add_argument_group("dataset")
    g.add_argument("--provider", metavar="NAME",
                   help="who trains on the data: openai (default), ... (see --list-providers)")
    g.add_argument("--model", help="model snapshot, alias or fine-tuned name the data is for")
    g.add_argument("--tokenizer", metavar="NAME",
                   help="the --model's tokenizer (o200k_base, llama3, ...): defines a model no provider lists")
    g.add_argument("--max-tokens", type=limits.whole_number(1, limits.MAX_TOKENS), metavar="N",
                   help="the --model's per-example token cap: defines a model no provider lists")
    g.add_argument("--method", choices=METHOD_CHOICES, help="training method (default: from the file's format)")
    g.add_argument("--validation", action="append", metavar="FILE", help="validation file (linted too; overlap reported)")
    g.add_argument("--epochs", type=limits.whole_number(1, limits.MAX_EPOCHS), metavar="N", help="training epochs (default: the provider's rule, e.g. OpenAI's auto)")
    g.add_argument("--rate", type=limits.number(0, limits.MAX_RATE_USD), metavar="USD", help="training price per 1M tokens (default: catalog)")
    g.add_argument("--list-models", action="store_true",
                   help="list the models of the provider (--provider; default openai): caps, prices, status; and exit")
    g.add_argument("--list-providers", action="store_true",
                   help="list the providers ftlint knows (status, sources) and exit")
    g.add_argument("--stats", metavar="FILE", help="write per-example token counts to FILE (.parquet, .csv or .jsonl)")
    r = p.add_argument_group("rules")
    r.add_argument("--select", action="append", metavar="CODES", help="only these rules (code, prefix or name; comma-separated)")
    r.add_argument("--extend-select", action="append", metavar="CODES", help="add these rules to the selection")
    r.add_argument("--ignore", action="append", metavar="CODES", help="skip these rules")
    r.add_argument("--baseline", metavar="FILE",
                   help="report only problems FILE does not hold, and those it holds that are gone")
    r.add_argument("--write-baseline", metavar="FILE",
                   help="record every problem of this run in FILE (keyed by file, rule and example, not line) and exit 0")
    r.add_argument("--list-rules", action="store_true", help="list all rules and exit")
    r.add_argument("--explain", metavar="CODE", help="print a rule's documentation and exit")
    f = p.add_argument_group("fixing")
    f.add_argument("--fix", action="store_true", help="apply safe fixes in place, then report what remains (exit 1 if a file changed)")
    f.add_argument("--fix-only", action="store_true",
                   help="apply safe fixes and print 'Fixing <file>', no lint report; exit 1 only if a file changed "
                   "(the ftlint-fix pre-commit hook)")
    f.add_argument("--unsafe-fixes", action="store_true", help="with --fix/--diff: also fixes that change training content")
    f.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing (exit 1 if any)")
    c = p.add_argument_group("configuration")
    c.add_argument("--config", dest="config_path", metavar="PATH",
                   help="use this config file (ftlint.toml, or a pyproject.toml with [tool.ftlint])")
    c.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    c.add_argument("--show-settings", action="store_true",
                   help="print the config file read and the settings in force (--format json too), and exit")
    c.add_argument("-v", "--verbose", action="store_true", help="say which config file is used (on stderr)")
    o = p.add_argument_group("output")
    o.add_argument("--format", "--output-format", dest="format", choices=FORMAT_CHOICES,
                   help="output format (default: text, or the config's format)")
    o.add_argument("-o", "--output-file", metavar="PATH", help="write the report to PATH instead of stdout")
    o.add_argument("--also-output", action="append", type=_also_output, metavar="FORMAT:PATH",
                   help="also write the report in FORMAT to PATH, from the same run (repeatable; e.g. sarif:ftlint.sarif)")
    o.add_argument("--statistics", action="store_true", help="print counts per rule instead of each problem")
    o.add_argument("--color", choices=COLOR_CHOICES, default="auto",
                   help="colour the text formats: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), "
                   "always, never")
    o.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    o.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found (never hides exit 2)")
    o.add_argument("-q", "--quiet", action=argparse.BooleanOptionalAction, default=False,
                   help="problems and the total line only (the ftlint pre-commit hook's default; --no-quiet undoes it)")
    o.add_argument("--show-all", action="store_true",
                   help="text format: list every problem (by default each rule lists 20 per file, then a count)")
    o.add_argument("--debug", action="store_true", help="on an internal error, print the traceback too")
    x = p.add_argument_group("performance")
    x.add_argument("-j", "--jobs", type=limits.whole_number(1, limits.MAX_JOBS), metavar="N",
                   help="worker processes for large files (default: the usable CPUs, when one is idle; 1: none)")
    x.add_argument("--no-cache", action="store_true",
                   help="lint every file again; do not read or write the result cache (also: FTLINT_NO_CACHE=1)")
    x.add_argument("--cache-dir", metavar="DIR",
                   help="where results of unchanged files are kept (default: FTLINT_CACHE_DIR or ./.ftlint_cache)")
    add_submit_arguments(p)
    add_chat_template_arguments(p)
    add_convert_arguments(p)
    p.checking = False
    return p



def add_submit_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the 'submit' argument group. --model, --epochs, --validation, --method and --strict are
    the CLI's own (shared with linting); :func:`ftlint.submit.run` reads them from the namespace."""
    group = parser.add_argument_group("submit")
    group.deferred_description = _submit_help  # read from the provider profiles when --help prints it
    group.add_argument("--submit", action="store_true", help="after a clean lint, upload the files and create the job")
    group.add_argument("--dry-run", action="store_true", help="with --submit: show what would be sent, send nothing")
    group.add_argument("--wait", action="store_true", help="follow the job's events until it ends")
    group.add_argument(
        "--follow", metavar="JOB_ID",
        help="follow a job started earlier (or whose --wait was interrupted) until it ends; lints nothing",
    )
    group.add_argument("--suffix", help=f"fine-tuned model name suffix (1-{SUFFIX_MAX_CHARS} characters, or fewer where the provider's profile says so)")
    group.add_argument("--seed", type=limits.whole_number(0, SEED_MAX), help=f"training seed (0-{SEED_MAX})")
    group.add_argument("--base-url", help="API base URL (default: the provider's, or $OPENAI_BASE_URL / $TOGETHER_BASE_URL; "
                       "for azure-openai https://RESOURCE.openai.azure.com/openai/v1/)")
    group.add_argument("--training-file-id", metavar="FILE_ID", help="use this uploaded file instead of uploading")
    group.add_argument("--validation-file-id", metavar="FILE_ID", help="use this uploaded validation file")
    group.add_argument("--reupload", action="store_true", help="upload even if the state file records these bytes")
    group.add_argument("--batch-size", type=limits.whole_number(1, limits.MAX_BATCH_SIZE),
                       help="hyperparameter batch_size (OpenAI: 1-256; default auto)")
    group.add_argument("--learning-rate-multiplier", type=float, help="OpenAI: hyperparameter learning_rate_multiplier (> 0)")
    group.add_argument("--learning-rate", type=float, help="Together: the learning rate (> 0; default: the provider's, shown by --dry-run)")
    group.add_argument("--lora", action=argparse.BooleanOptionalAction, default=None,
                       help="Together: train LoRA adapters (--lora, the service's default) or all weights (--no-lora)")
    group.add_argument("--n-evals", type=limits.whole_number(0, limits.MAX_EVALS), metavar="N",
                       help="Together: evaluate the validation file N times during training (needs --validation)")
    group.add_argument("--beta", type=limits.positive_number(limits.MAX_BETA),
                       help="DPO hyperparameter beta (> 0; OpenAI: at most 2)")
    group.add_argument("--grader", metavar="JSON_FILE", help="reinforcement jobs: the grader object, as a JSON file")
    group.add_argument(
        "--metadata", action="append", default=None, metavar="KEY=VALUE",
        help=f"job metadata (repeatable, at most {METADATA_MAX_PAIRS} pairs)",
    )
    group.add_argument(
        "--poll-interval", type=float, default=DEFAULT_POLL_INTERVAL_SECONDS, metavar="SECONDS",
        help=f"seconds between status checks (default {DEFAULT_POLL_INTERVAL_SECONDS:g})",
    )
    group.add_argument(
        "--upload-part-size", type=int, default=MAX_PART_BYTES, metavar="BYTES",
        help="part size for the multi-part Uploads API (default and maximum 64 MiB)",
    )
    group.add_argument(
        "--connect-timeout", type=float, metavar="SECONDS",
        help=f"seconds to wait for a connection to the service (default {DEFAULT_CONNECT_TIMEOUT_SECONDS:g})",
    )
    group.add_argument(
        "--read-timeout", type=float, metavar="SECONDS",
        help=f"seconds to wait for each reply of the service (default {DEFAULT_READ_TIMEOUT_SECONDS:g})",
    )
    group.add_argument(
        "--state-file", default=DEFAULT_STATE_FILE, metavar="PATH",
        help=f"record of uploaded files, for idempotence (default {DEFAULT_STATE_FILE})",
    )


def add_chat_template_arguments(parser: argparse.ArgumentParser) -> None:
    """The chat-template check's options (rules FT901-FT906 run only with --chat-template)."""
    g = parser.add_argument_group("chat template (open-source trainers)")
    _deferred(g.add_argument("--chat-template", metavar="NAME|FILE"), _chat_template_help)
    g.add_argument("--max-seq-length", type=limits.whole_number(1, limits.MAX_TOKENS), metavar="N",
                   help="the trainer's max_seq_length: report answers its truncation cuts (with --chat-template)")
    g.add_argument("--trainer-config", metavar="FILE",
                   help="LLaMA-Factory's dataset_info.json or an Axolotl YAML: lint each file with the columns, "
                        "field names and role tags it declares for it")
    g.add_argument("--response-marker", metavar="TEXT",
                   help=r"train only after this text, as Unsloth's train_on_responses_only(response_part=...) "
                        r"does (\n for a newline)")


def submit_targets() -> list[tuple[str, str]]:
    """(provider id, pip extra) of each profile with a ``[submit]`` table, the default provider first.

    Read from the profile files' text, not through ftlint.providers, which parses and checks every
    profile (tens of ms, for a help text); tests/test_arguments.py checks both agree.
    """
    import os
    import re

    from ftlint.data import data_directory

    directory = data_directory("providers")
    found = []
    for name in sorted(n for n in os.listdir(directory) if n.endswith(".toml")):
        with open(os.path.join(directory, name), encoding="utf-8") as handle:
            table = re.search(r"(?ms)^\[submit\][ \t]*$(.*?)(?=^\[)", handle.read() + "\n[")
        if table is not None:
            extra = re.search(r'(?m)^extra\s*=\s*"([^"]+)"', table.group(1))
            found.append((name[:-5], extra.group(1) if extra else "submit"))
    return sorted(found, key=lambda target: target[0] != "openai")


def _submit_help() -> str:
    by_extra: dict[str, list[str]] = {}
    for provider, extra in submit_targets():
        by_extra.setdefault(extra, []).append(provider)
    parts = [f"{', '.join(ids)} (pip install 'ftlint[{extra}]')" for extra, ids in by_extra.items()]
    listed = ", ".join(parts[:-1]) + f" or {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"upload the linted files and create a fine-tuning job with --provider {listed}"


def _chat_template_help() -> str:
    import os

    from ftlint.data import data_directory

    # chat_template.shipped_ids(), without pathlib
    shipped = sorted(n[:-5] for n in os.listdir(data_directory("chat_templates")) if n.endswith(".toml"))
    return (f"render chat examples as this model family's template does ({', '.join(shipped)}) "
            "or a Jinja file / tokenizer_config.json, and check what gets trained")


#: --convert-to names the help shows (an unknown name is an error listing them all; tests check these exist).
CONVERT_EXAMPLES = ("gemini", "bedrock", "sharegpt", "alpaca", "trl-messages", "chat")


def add_convert_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("converting")
    g.add_argument("--convert-to", metavar="FORMAT",
                   help="write FILE in another format to -o OUT, then lint OUT for that format's provider "
                        f"(FORMAT: a format id or alias, e.g. {', '.join(CONVERT_EXAMPLES)}; an unknown one "
                        "lists them all)")
    g.add_argument("--convert-lossy", action="store_true",
                   help="with --convert-to: write OUT even when examples lose something or cannot be converted "
                        "(each is still listed)")
