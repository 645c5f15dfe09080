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
