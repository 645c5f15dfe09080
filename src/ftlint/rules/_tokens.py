"""Shared wording for the token rules (FT3xx): how a model's cap is named."""

from __future__ import annotations


def cap_phrase(model) -> str:
    """'the 65,536-token cap of gpt-4o-mini-2024-07-18 ([BP] 2026)', marking unconfirmed caps."""
    source = model.sources["token_cap"].source if "token_cap" in model.sources else "catalog"
    mark = "" if model.token_cap_confirmed else ", unconfirmed"
    return f"the {model.token_cap:,}-token cap of {model.id} ({source}{mark})"


def model_list(models) -> str:
    """'babbage-002, davinci-002 (shut down)': ids, with the status of models not active."""
    if not models:
        return "none in the catalog"
    return ", ".join(m.id if m.status == "active" else f"{m.id} ({m.status})" for m in models)


def count_phrase(counter, total: int, stopped: str | None = None, example=None) -> str:
    """'1,234 tokens', 'at least 1,234 tokens (counting stopped: ...)'; an estimate says it is one:
    'approx. 1,234 tokens (estimate: o200k_base counts with OpenAI's chat formula)', and so does the
    count of an ``example`` holding what the counter leaves approximate (TokenCounter.left_approximate):
    'approx. 1,234 tokens (the example has tool definitions, counted as their JSON text ...)', or 'at
    least' when what it leaves out is left out of the count (images)."""
    counted = f"at least {total:,} tokens (counting stopped: {stopped})" if stopped else f"{total:,} tokens"
    left = counter.left_approximate(example) if example is not None and counter.may_approximate else ()
    if left:
        # Only lower bounds (media left out, counting stopped): "at least", said once; else "approx.".
        how = ("" if stopped else "at least ") if all(a.lower_bound for a in left) else "approx. "
        return f"{how}{counted} (the example has {'; '.join(a.text for a in left)})"
    if counter.exact:
        return counted
    from ftlint.tokenizer import TOKENIZERS

    spec = TOKENIZERS.get(counter.encoding_name)
    how = spec.source if spec is not None and spec.kind == "estimate" else f"{counter.encoding_name} counts"
    return f"approx. {counted} ({how})"
