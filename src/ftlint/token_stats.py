"""Per-file token statistics, class distribution and the training cost estimate.

:class:`TokenStats` is an engine collector: it sees every example of the
file's format once and keeps O(distinct lengths) state, so memory does not
grow with the file. Percentiles are exact: the lengths are kept as a
histogram ``{tokens: examples}`` (at most one entry per distinct length,
bounded in practice by the longest example), and p50/p95 are nearest-rank
values (the smallest length with at least p% of examples at or below it).

Cost (the fine-tuning guide's arithmetic): billed tokens per epoch are the sum
of min(cap, tokens) over the training examples (truncated tokens are not
trained on); times epochs; times the price per 1M tokens. Epochs default to
the provider's number (Together AI, Fireworks AI: 1) or OpenAI's "auto" rule,
whose numbers are data (``[epochs.auto]`` of rules/providers/openai.toml;
:meth:`ftlint.providers.Provider.epochs_for`). The price comes from --rate, else the model's
``training_price`` in the profile, else its size bracket's rate (``[pricing]
tiers``). Validation files are not billed, except under a provider whose
formula has an evaluations term (Together AI: ``n_epochs x train_tokens +
n_evals x val_tokens``): a validation file's cost is then its billed tokens x
n_evals (--n-evals, else the provider's default) x the rate, and the run's
summary adds both terms.
"""

from __future__ import annotations

import math
from collections import Counter

from ftlint import parallel, retirement
from ftlint.counting import ASSUMED_IMAGE_TILES, Counts, TokenCounter, image_counts
from ftlint.formats import DPO, FORMAT_TITLES, SUPERVISED
from ftlint.labels import tally_for
from ftlint.problem import plural
from ftlint.token_facts import missing_tokenizer

HISTOGRAM_WIDTH = 30
CLASSES_SHOWN = 12


def epochs_label(provider) -> str:
    """How the report marks epochs the user did not give: " (auto)", or " (Together AI's default)"."""
    return f" ({provider.title}'s default)" if isinstance(provider.default_epochs, int) else " (auto)"


def training_cost_usd(billed_tokens: int, epochs: int, usd_per_1m: float | None) -> float | None:
    """billed tokens per epoch x epochs x price per 1M tokens; None when the price is unknown."""
    if usd_per_1m is None:
        return None
    return billed_tokens * epochs * usd_per_1m / 1_000_000


def bills_evaluations(provider) -> bool:
    """The provider bills the validation file once per evaluation (Together AI)."""
    return provider.pricing_formula.endswith("evals * val_tokens")


def default_evals(provider, given: int | None) -> int:
    """Evaluations on the validation file: --n-evals, else the job's default ([submit] default_n_evals), else none."""
    if given is not None:
        return given
    return (provider.submit.default_n_evals if provider.submit is not None else None) or 0


def percentile(histogram: dict[int, int], fraction: float) -> int | None:
    """Nearest-rank percentile of the lengths in ``{length: count}``."""
    n = sum(histogram.values())
    if n == 0:
        return None
    rank = max(1, math.ceil(fraction * n))
    seen = 0
    for length in sorted(histogram):
        seen += histogram[length]
        if seen >= rank:
            return length
    return None  # unreachable


def length_buckets(histogram: dict[int, int]) -> list[list[int]]:
    """``[[first, last, examples], ...]``: power-of-two length buckets from the shortest example's to
    the longest's, empty ones included (the pictures: HTML report, job summary chart)."""
    buckets: Counter = Counter()
    for length, count in histogram.items():
        buckets[length.bit_length()] += count
    if not buckets:
        return []
    return [[0, 0, buckets.get(0, 0)] if b == 0 else [1 << (b - 1), (1 << b) - 1, buckets.get(b, 0)]
            for b in range(min(buckets), max(buckets) + 1)]


def length_histogram_lines(histogram: dict[int, int], cap: int | None) -> list[str]:
    """A text histogram over power-of-two length buckets, with the cap's bucket marked (when known)."""
    buckets: Counter = Counter()
    for length, count in histogram.items():
        buckets[length.bit_length()] += count  # bucket b holds 2**(b-1) .. 2**b - 1
    if not buckets:
        return []
    cap_bucket = cap.bit_length() if cap is not None else -1
    low, high = min(buckets), max(buckets)
    if cap_bucket == high + 1:  # show the (empty) cap bucket right after the longest examples
        high = cap_bucket
    peak = max(buckets.values())
    rows = []
    for b in range(low, high + 1):
        start, end = (0, 0) if b == 0 else (1 << (b - 1), (1 << b) - 1)
        label = f"{start:,}-{end:,}"
        count = buckets.get(b, 0)
        bar = "#" * (math.ceil(HISTOGRAM_WIDTH * count / peak) if count else 0)
        mark = f"  <- cap {cap:,}" if b == cap_bucket else ""
        rows.append(f"  {label:>15} | {bar:<{HISTOGRAM_WIDTH}} {count:,}{mark}")
    if cap is not None and cap_bucket > high:
        rows.append(f"  (cap {cap:,} is far above the longest example)")
    return rows


def counting_label(encoding_name: str, exact: bool) -> str:
    """How the report names the counting: the vocabulary, and whether the counts are approximate, said once.

    The estimate for models without a public tokenizer is itself named "approximate": "approximate,
    approximate counts" said it twice, so it is named by what it counts with instead.
    """
    if exact:
        return encoding_name
    from ftlint.tokenizer import TOKENIZERS

    spec = TOKENIZERS.get(encoding_name)
    if spec is not None and spec.kind == "estimate":
        return f"approximate counts ({spec.source})"
    return f"{encoding_name}, approximate counts"


class TokenStats:
    """Collector of one file's token statistics (needs ctx.counter and ctx.model)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.counter = ctx.counter
        self.cap = ctx.model.token_cap
        self.labels = tally_for(ctx)
        self.histogram: dict[int, int] = {}
        self.total = 0
        self.trained = 0
        self.billed = 0
        self.over_cap = 0
        self.images = 0
        self.unsized_images = 0  # remote URLs and unreadable data: counted at ASSUMED_IMAGE_TILES
        self.lower_bounds = 0  # examples over the cap whose counting stopped early (counting.CountsAtLeast)
        #: Examples the counter counts only approximately (TokenCounter.left_approximate): how many, and how
        #: many for each thing it leaves approximate (two at most), so this stays small.
        self.approximate_examples = 0
        self.approximated: Counter = Counter()

    @classmethod
    def for_file(cls, ctx) -> "TokenStats | None":
        if ctx.counter is None or ctx.model is None:
            return None
        return cls(ctx)

    def add(self, example) -> None:
        # Once per example: only the histogram and the trained sum are kept here; the total, the billed
        # tokens and the examples over the cap follow from the histogram (:meth:`_sums`). The label
        # tally has its own collector (ftlint.labels.collector).
        counts = example.tokens(self.counter)
        total, trained = counts
        if type(counts) is not Counts:  # CountsAtLeast: the example is over the cap, by at least this much
            self.lower_bounds += 1
        histogram = self.histogram
        histogram[total] = histogram.get(total, 0) + 1
        self.trained += trained
        raw = example.raw
        # Cheap test first: most lines have no image (find, not ``in``: see FT112).
        if self.counter.counts_images and (raw is None or raw.find(b'"image_url"') >= 0):
            images, unsized = image_counts(example.data)
            self.images += images
            self.unsized_images += unsized
        if self.counter.may_approximate:
            approximations = self.counter.left_approximate(example)
            if approximations:
                self.approximate_examples += 1
                self.approximated.update(approximations)

    def _sums(self) -> None:
        """total, billed (min(cap, tokens) of each example) and over_cap, from the histogram."""
        cap = self.cap  # None: the model's cap is unknown
        self.total = sum(tokens * n for tokens, n in self.histogram.items())
        self.over_cap = sum(n for tokens, n in self.histogram.items() if cap is not None and tokens > cap)
        self.billed = self.total if cap is None else sum(min(tokens, cap) * n for tokens, n in self.histogram.items())

    # -- result ------------------------------------------------------------

    def result(self) -> dict:
        self._sums()
        ctx, model = self.ctx, self.ctx.model
        examples = sum(self.histogram.values())
        is_training = ctx.role == "training"
        evaluated = not is_training and bills_evaluations(ctx.run.provider)
        billed = self.billed if is_training or evaluated else 0
        tokens = {
            "total": self.total,
            "billed": billed,
            "min": min(self.histogram) if self.histogram else None,
            "p50": percentile(self.histogram, 0.50),
            "p95": percentile(self.histogram, 0.95),
            "max": max(self.histogram) if self.histogram else None,
            "over_cap": self.over_cap,
            # Which tokenizer counted, and whether the counts are exact or an estimate.
            "tokenizer": self.counter.encoding_name,
            "exact": self.counter.exact and not self.approximate_examples,
            # Examples counted approximately although the tokenizer is exact (what a chat framing leaves out),
            # and how many for each thing left out (an example with tools and images counts under both).
            "approximate_examples": self.approximate_examples,
            "approximate": {a.text: n for a, n in sorted(self.approximated.items())},
            # Examples over the cap counted only to a lower bound: total, trained, max and the mean are then lower bounds.
            "lower_bounds": self.lower_bounds,
        }
        options = ctx.run.options
        epochs_given = options.get("epochs")
        epochs = epochs_given or ctx.run.provider.epochs_for(examples)
        rate = options.get("rate")
        if rate is None and ctx.run.provider.pricing_formula != "none":  # "none": tokens, no dollar figure
            rate = model.usd_per_1m_tokens
        self.verdict = retirement.verdict(model, ctx.run.provider)
        if ctx.run.provider.is_another_service(options.get("base_url")):
            # --base-url: another OpenAI-compatible service trains it, by its own dates and prices.
            self.verdict = retirement.Verdict(model, self.verdict.today, True, provider=self.verdict.provider)
            rate = options.get("rate")
        # A job that cannot run as it is gets no figure; the cost line says why (the rule named there says what to do).
        self.no_estimate = self._no_estimate(epochs_given)
        # A validation file is billed once per evaluation where the provider's formula says so, else not at all.
        passes = epochs if is_training else default_evals(ctx.run.provider, options.get("n_evals")) if evaluated else 0
        if passes is None:  # a training file, and the provider's default epochs are not known (Provider.epochs_for)
            usd = None
        else:
            usd = training_cost_usd(billed, passes, rate) if is_training or evaluated else 0.0
        cost = {
            "model": model.id,
            "epochs": epochs if is_training else None,
            # What the job reports as its billed tokens (OpenAI: trained_tokens); for a validation file
            # under an evaluations term, the tokens its evaluations add. None: the epochs are unknown.
            "billed_tokens": billed * passes if passes is not None else None,
            "rate_per_1m": rate,
            # No figure for a job that cannot be created (FT302, FT914, FT301, FT608 say why; --epochs out of range).
            "usd": usd if self.verdict.trainable and self.no_estimate is None else None,
        }
        if self.no_estimate is not None:
            cost["no_estimate"] = self.no_estimate
        if evaluated:
            cost["evals"] = passes
        stats = {"tokens": tokens, "cost": cost,
                 "token_histogram": {"cap": model.token_cap, "buckets": length_buckets(self.histogram)}}
        if self.images:
            stats["images"] = {"total": self.images, "size_assumed": self.unsized_images,
                               "assumed_tokens_each": self.counter.image_base + self.counter.image_per_tile * ASSUMED_IMAGE_TILES}
        classes = self.labels.classes()
        if classes is not None:
            stats["classes"] = dict(classes.most_common())
        stats["text_lines"] = self._text_lines(tokens, cost, examples, epochs_given is not None, classes)
        if self.unsized_images:
            each = stats["images"]["assumed_tokens_each"]
            if "vision" in model.methods:
                why = "so the token count and cost are estimates; inline them as data URLs for exact figures"
            else:  # no image is trained, nor priced (FT608): the figures only compare files
                why = (f"and {model.id} cannot be fine-tuned on images (FT608), so the token figures are its "
                       "inference image costs, for comparing files only")
            stats["text_lines"].insert(2, (
                f"images: {self.unsized_images:,} of {self.images:,} counted at an assumed size (768x768, "
                f"{ASSUMED_IMAGE_TILES} tiles, {each:,} tokens each): their size is unknown (remote URLs), {why}"))
        return stats

    def _text_lines(self, tokens, cost, examples, epochs_given, classes) -> list[str]:
        ctx, model = self.ctx, self.ctx.model
        default = " (default; pass --model)" if ctx.run.options.get("model_is_default") else ""
        default = ctx.run.options.get("default_note") or default
        cap_mark = "" if model.token_cap_confirmed else " (unconfirmed)"
        counted = counting_label(self.counter.encoding_name, self.counter.exact)
        if model.token_cap is None:
            cap = "cap unknown, so the over-cap and near-cap checks are skipped (pass --max-tokens N)"
        else:
            cap = f"cap {model.token_cap:,} tokens{cap_mark}"
        lines = [f"model: {model.id}{default}; {counted}; {cap}"]
        if ctx.run.options.get("chat_template"):
            lines.extend(self._template_mismatch())
        if not examples:
            return lines
        mean = self.total / examples
        approx = "" if tokens["exact"] else "approx. "
        if self.lower_bounds:
            approx = f"{approx}at least "
        lines.append(
            f"tokens: {approx}{self.total:,} total, {self.trained:,} in training targets; per example min {tokens['min']:,}, "
            f"mean {mean:,.1f}, p50 {tokens['p50']:,}, p95 {tokens['p95']:,}, max {tokens['max']:,}; "
            f"{self.over_cap:,} over the cap"
        )
        for why, n in tokens["approximate"].items():
            lines.append(f"  approximate for {n:,} of {plural(examples, 'example')}: {why}")
        if self.lower_bounds:
            lines.append(f"  lower bounds: {plural(self.lower_bounds, 'example')} over the cap counted only until a "
                         "string's length proved it over (FT303 says which): total, training targets, mean and max are "
                         "at least the figures shown; billed tokens are exact (an example over the cap is billed at the cap)")
        lines.append("tokens per example:")
        lines.extend(length_histogram_lines(self.histogram, model.token_cap))
        if classes is not None:
            shown = ", ".join(f"{label!r} {n:,}" for label, n in classes.most_common(CLASSES_SHOWN))
            more = f", and {len(classes) - CLASSES_SHOWN} more" if len(classes) > CLASSES_SHOWN else ""
            lines.append(f"classes ({len(classes)}): {shown}{more}")
        lines.append(self._cost_line(cost, epochs_given))
        return lines

    def _template_mismatch(self) -> list[str]:
        """A line when --chat-template tokenizes with another vocabulary than the model these figures count
        with: FT905's "renders to N tokens" and the statistics below would otherwise disagree unexplained."""
        from ftlint import chat_template

        settings = chat_template.settings_of(self.ctx)
        if settings is None or settings.spec.tokenizer in (self.counter.encoding_name, "approximate"):
            return []  # ("approximate": a template file of no known family, whose findings say so themselves)
        return [f"  the chat template {settings.spec.title} tokenizes with {settings.spec.tokenizer}, these figures "
                f"with {self.counter.encoding_name} ({self.ctx.model.id}'s): the template checks (FT9xx) and the "
                "statistics count differently; pass --model for the model the template is for"]

    def _no_estimate(self, epochs_given: int | None) -> str | None:
        """Why a job of this file cannot run as it is (so no cost is estimated), or None when it can."""
        ctx, model, provider = self.ctx, self.ctx.model, self.ctx.run.provider
        title = FORMAT_TITLES.get(ctx.format, ctx.format)
        if not provider.takes_format(ctx.format):
            return f"{provider.title} takes no {title} files (FT914 says which providers do)"
        if ctx.format is not None and model.formats and ctx.format not in model.formats:
            return f"{model.id} does not train on {title} files (FT301 says what does)"
        if ctx.method and model.methods and ctx.method not in model.methods:
            return f"{model.id} does not support {ctx.method} fine-tuning (FT301 says what does)"
        if self.images and "vision" not in model.methods:
            return f"{model.id} cannot be fine-tuned on images, and this file has {plural(self.images, 'image')} (FT608)"
        if ctx.role == "training" and ctx.method in (SUPERVISED, DPO) and self.histogram and not self.trained:
            # (Reinforcement fine-tuning trains on what the model generates: no trained tokens in the file.)
            why = ("no assistant reply to learn, or each one weighted 0" if ctx.method == SUPERVISED
                   else "the pairs' answers are empty or do not differ")
            return f"no example of this file has a trained token ({why}), so a job would teach nothing"
        allowed = provider.epochs_allowed
        if epochs_given is not None and allowed is not None and not allowed[0] <= epochs_given <= allowed[1]:
            return (f"{provider.title} takes {allowed[0]} to {allowed[1]} epochs ({provider.cite('epochs.allowed')}); "
                    f"--epochs {epochs_given} is outside that range")
        return None

    def _cost_line(self, cost, epochs_given) -> str:
        model, provider = self.ctx.model, self.ctx.run.provider
        if self.no_estimate is not None:
            return f"cost: no estimate: {cost['no_estimate']}"
        if self.ctx.role != "training":
            if "evals" not in cost:
                return f"cost: validation file, {self.total:,} tokens not billed"
            given = self.ctx.run.options.get("n_evals") is not None
            evals = plural(cost["evals"], "evaluation") + ("" if given else f" ({provider.title}'s default; pass --n-evals N)")
            billed = f"validation file, {self.billed:,} billed tokens per evaluation x {evals} = {cost['billed_tokens']:,} billed tokens"
            if not cost["evals"]:
                return f"cost: {billed}"
        elif cost["epochs"] is None:
            return (f"cost: {self.billed:,} billed tokens per epoch; no estimate: the default number of epochs of "
                    f"{provider.title} is not in ftlint's profile (pass --epochs N)")
        else:
            epochs = plural(cost['epochs'], 'epoch') + ("" if epochs_given else epochs_label(provider))
            billed = f"{self.billed:,} billed tokens per epoch x {epochs}"
            if self.verdict.trainable:
                billed += f" = {cost['billed_tokens']:,} billed tokens{self._reported_as()}"
        if not self.verdict.trainable:
            return f"cost: {billed}; no estimate: {model.id} can no longer be fine-tuned ({self.verdict.reason})"
        if cost["usd"] is None:
            if provider.pricing_formula == "none":
                return f"cost: {billed}; {provider.title} publishes no per-token price (pass --rate USD_PER_1M)"
            if model.training_price_per == "hour" and model.training_price_usd is not None:
                unconfirmed = "" if model.training_price_confirmed else ", unconfirmed"
                return (f"cost: {billed}; {model.id} is billed per hour of training (${model.training_price_usd:,.2f}/hour"
                        f"{unconfirmed}), not per token: no estimate")
            if model.price_tier is not None:
                return (f"cost: {billed}; price unknown for {model.id}: {provider.title} prices its "
                        f"{model.price_tier!r} size bracket, and ftlint has no rate for it (pass --rate USD_PER_1M)")
            return f"cost: {billed}; price unknown for {model.id} (pass --rate USD_PER_1M)"
        unconfirmed = "" if model.training_price_confirmed or self.ctx.run.options.get("rate") else ", unconfirmed price"
        tier = f", {provider.title}'s {model.price_tier!r} rate" if model.price_tier and not self.ctx.run.options.get("rate") else ""
        return f"cost: {billed} x ${cost['rate_per_1m']:,.2f}/1M = ${cost['usd']:,.2f} (estimate{tier}{unconfirmed})"

    def _reported_as(self) -> str:
        """`` (OpenAI's trained_tokens)``: the job object's field that reports these tokens, where the profile names it."""
        provider = self.ctx.run.provider
        field = provider.billed_tokens_field
        if field is None:
            return ""
        fact = provider.source_of("pricing.billed_tokens_field")
        unconfirmed = "" if fact is None or fact.confirmed else ", unconfirmed"
        return f" ({provider.title}'s {field}{unconfirmed})"


def token_hooks(stats_writer=None, jobs: int | None = None) -> dict:
    """Linter keyword arguments that count tokens: the prepare hook, the collectors, and
    the per-example work done in worker processes for large files (ftlint.parallel;
    ``jobs`` is --jobs, None: as many as pay).

    One counter per model serves the whole run (per-file-model may name
    several), and its memo of repeated strings carries over from file to file.
    """
    counters: dict[str, TokenCounter] = {}

    def prepare(ctx) -> None:
        if missing_tokenizer(ctx.model.encoding) is not None:
            ctx.counter = None  # nothing to count with: token rules find nothing, the report says why
            return
        counter = counters.get(ctx.model.id)
        if counter is None:
            counter = counters[ctx.model.id] = TokenCounter.for_model(ctx.model)
        ctx.counter = counter

    collectors = [TokenStats.for_file]
    if stats_writer is not None:
        collectors.append(stats_writer.collector)
    return {"prepare": prepare, "collectors": collectors, "precomputed": parallel.precompute_hook(jobs)}
