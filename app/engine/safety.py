"""A run's safety on a desktop, wired in one place for the CLI, the app and replay: the gate (the policy with the
desktop's applications, the sandbox and the window that typing lands in) and the stops (the grabbed hotkey and the
corner fail-safe, from the ``[app]`` settings)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.control import RunControl
from planner.events import Decided, Event, Events
from planner.policy import Approver, Context, Gate, Policy, PolicySettings


@dataclass
class GateParts:
    """The gate for a run, and what to close when the run is over."""

    gate: Gate
    close: Callable[[], None]


def make_gate(display: str, workdir: str, approver: Approver, settings: PolicySettings, sandbox: Any) -> GateParts:
    """The policy ``settings``, told the desktop's applications and terminals, whether code runs in ``sandbox``
    (app.engine.sandbox.Bubblewrap; None: unconfined), and the window under the keyboard."""
    from app.desktop.apps import installed
    from app.desktop.windows import WindowTitles
    from models.settings import config_path

    apps = installed()
    titles = WindowTitles(display)

    def context() -> Context:
        window_class = titles.active_class()
        return Context(title=titles.active(), app=window_class, terminal=apps.is_terminal(window_class))

    policy = Policy(settings, workdir, apps.programs, apps.terminals, sandbox.name if sandbox else "",
                    protected=(str(config_path().parent),))
    return GateParts(Gate(policy, approver, context), titles.close)


@dataclass
class DesktopStops:
    """The stop hotkey and the corner fail-safe for one run on a display a person sits at."""

    display: str
    control: RunControl
    hotkey: str
    corner: bool = True
    aimed: tuple[float, float] | None = None
    _parts: list[Any] = field(default_factory=list)

    def start(self) -> str:
        """Register both; one line saying how to stop the run (and what could not be registered, and why)."""
        from app.desktop.session import corner_stop, hotkey_stop
        from app.desktop.stoppers import StopperError, hotkey_label

        ways, problems = [], []
        try:
            self._parts.append(hotkey_stop(self.hotkey, self.control.stop, self.display))
            ways.append(f"press {hotkey_label(self.hotkey)}")
        except StopperError as exc:
            problems.append(str(exc))
        if self.corner:
            try:
                self._parts.append(corner_stop(self.display, self.control.stop, aimed=lambda: self.aimed))
                ways.append("push the pointer into a screen corner")
            except StopperError as exc:
                problems.append(str(exc))
        line = f"stop: {' or '.join(ways + ['Ctrl-C here'])}"
        return line + "".join(f"\n  ({p})" for p in problems)

    def events(self, on_event: Events) -> Events:
        """``on_event`` that also keeps where the agent aims, so a corner it clicks is not taken as a stop."""

        def forward(event: Event) -> None:
            if isinstance(event, Decided):
                action = event.action
                self.aimed = (action["x"], action["y"]) if "x" in action and "y" in action else None
            on_event(event)

        return forward

    def close(self) -> None:
        for part in self._parts:
            part.stop()
        self._parts.clear()

    def __enter__(self) -> DesktopStops:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
