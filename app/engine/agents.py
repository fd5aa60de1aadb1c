"""Which agent decides a run's steps: the planner with a chat model, a native computer-use model, or the offline
direct-command interpreter, from the [agent] table (or --agent) and the model settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class AgentChoice:
    mode: str  # planner | native | direct
    line: str  # one line for the person: which agent, which model, where
    model: Any = None  # the planner's chat model
    native: Any = None  # models.native_settings.NativeSettings for the native agent


def choose_agent(agent: str = "", llm: dict[str, Any] | None = None,
                 native: dict[str, Any] | None = None) -> AgentChoice:
    """The agent ``agent`` names (empty: the config's [agent] mode); SettingsError when it cannot be set up."""
    from models.native_settings import load_agent, load_native
    from models.settings import SettingsError, load, make_model

    mode = agent or load_agent().mode
    if mode == "direct":
        return AgentChoice(mode="direct", line="direct-command interpreter")
    if mode == "native":
        settings = load_native(native)
        if not settings.configured:
            raise SettingsError(settings.missing())
        return AgentChoice(mode="native", native=settings, line=f"native computer-use model {settings.describe()}")
    settings = load(llm)
    if not settings.configured:
        return AgentChoice(mode="direct", line="direct-command interpreter (no language model configured; see "
                                               "`deskpilot doctor`)")
    return AgentChoice(mode="planner", model=make_model(settings),
                       line=f"hierarchical planner with {settings.describe()}")
