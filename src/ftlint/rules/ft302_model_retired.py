"""The model named for this data can no longer be fine-tuned.

## What it does
Reports, once per run, a model you named (`--model`, or `model` /
`per-file-model` in the config) that takes no new fine-tuning jobs today:
its shut-down date or the date its fine-tuning ended has passed, or the
provider accepts no new jobs at all after its last date (OpenAI: after
2027-01-06). The message names the provider's models that still take jobs
for the same method, so you can lint again with one of them. The verdict
follows the dates in the model catalog and today's date (pin it with
`FTLINT_TODAY=YYYY-MM-DD`), so it changes by itself when a date passes. The
default model of a provider you named (`--provider openai` after 2027-01-06)
is judged too; the default of the default provider never is (after OpenAI's
last day the default provider is Azure OpenAI). With `--base-url` naming
another OpenAI-compatible service, the provider's dates are not that
service's, and nothing is reported.

A file linted for such a model gets no cost estimate, and `--submit` creates
no job for it (an error fails validation; `ftlint.retirement.can_train` is
the question it asks).

Sources of the dates (each value in the catalog names its source and when
it was checked; `ftlint --list-models` shows them):
- OpenAI's deprecations page, https://developers.openai.com/api/docs/deprecations
  (shut-down dates, the end of babbage-002/davinci-002 training, and
  "no new fine-tuning jobs after 2027-01-06");
- for gpt-4o, gpt-4o-mini, gpt-4.1 and gpt-4.1-mini, the 2027-01-14 shut-down
  date is known only from secondary copies of OpenAI's notice of 2026-10-14
  (unconfirmed).

## Why it matters
Job creation fails for a retired base model, so a pre-commit hook or CI gate
that passes such data lets a failing job through. A dataset prepared for it
needs a current model, whose cap, price and tokenizer may differ.

## Example
`ftlint data.jsonl --model gpt-3.5-turbo` (shut down on 2026-10-23).

## Fix
Lint again with one of the models the message names (`ftlint --list-models`
lists them all).
"""

from ftlint import retirement
from ftlint.problem import Finding

CODE = "FT302"
NAME = "model-retired"
SCOPE = "dataset"
LEVEL = "error"
#: The verdict is the model's, not the file's: a run over many files says it once.
ONCE_PER_RUN = True


def begin(conf, ctx):
    return None


def chosen_by_user(ctx) -> bool:
    """The user chose this model: by name (--model or the config), or as the default of a provider they
    named (--provider openai after OpenAI's last day is a run for a job that cannot start). The default
    of the default provider is never judged: that default moves to a provider that takes jobs."""
    options = ctx.run.options
    return (ctx.model is not ctx.run.model or not options.get("model_is_default")
            or not options.get("provider_is_default", True))


def finish(conf, ctx, state):
    model = ctx.model
    if model is None or not chosen_by_user(ctx) or ctx.run.provider.is_another_service(ctx.run.options.get("base_url")):
        return
    verdict = retirement.verdict(model, ctx.run.provider)
    if not verdict.trainable:
        yield Finding(verdict.message())
