"""What the settings dialog shows and hands back: plain values, no widgets, so its controller never needs one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class ProviderChoice:
    """One entry of the provider list: which fields it uses and how to explain them."""

    key: str
    label: str
    hint: str
    fields: frozenset[str]  # of: base_url, model, api_key, browse (the model is a local folder)
    url_placeholder: str = ""
    model_placeholder: str = ""


@dataclass(frozen=True, kw_only=True)
class SettingsForm:
    """Every value the dialog edits, as the person left them."""

    provider: str = "openai"
    base_url: str = ""
    model: str = ""
    api_key: str = ""
    price_in: float = 0.0
    price_out: float = 0.0
    max_cost: float = 0.0
    direct_only: bool = False
    vlm_model: str = ""
    vlm_ratio: float = 0.0
    grounding: str = "pixels"
    input: str = "xtest"
    display: str = ""
    max_steps: int = 30
    hide_while_running: bool = True
    workdir: str = ""
    code: str = "ask"
    secrets: str = "allow"
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    hotkey: str = ""
    failsafe: bool = True
    runs_dir: str = ""
