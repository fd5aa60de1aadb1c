"""What the settings dialog shows and hands back: plain values, no widgets, so its controller never needs one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class ProviderChoice:
    """One entry of the provider list: which fields it uses and how to explain them."""

    key: str
    label: str
    hint: str
    fields: frozenset[str]  # of: base_url, model, api_key, browse (the model is a local folder)
    url_placeholder: str = ""
    model_placeholder: str = ""
    table: str = "llm"  # the config table its fields fill: llm (the planner's model) or native
    mode: str = "planner"  # the [agent] mode it selects
    fixed: dict[str, Any] = field(default_factory=dict)  # values it always writes (native: the protocol)


@dataclass(frozen=True, kw_only=True)
class SettingsForm:
    """Every value the dialog edits, as the person left them."""

    provider: str = "openai"
    base_url: str = ""
    model: str = ""
    api_key: str = ""
    key_kept: bool = False  # the key is in the keyring: an empty field keeps it
    price_in: float = 0.0
    price_out: float = 0.0
    max_cost: float = 0.0
    direct_only: bool = False  # [agent] mode = "direct"
    patience: int = 8  # [agent] patience: more looks a direct command gives a target not on the screen yet
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
    risky_clicks: str = "ask"
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    hotkey: str = ""
    failsafe: bool = True
    runs_dir: str = ""
