"""What the MCP tools do, without the protocol: run a task, run a direct command, look at the screen, read a
trajectory. Every action goes through compose (app/engine/compose.py), so the policy gate, the approvals and the
trajectory are the same as for `deskpilot run`; one tool call at a time holds the desktop."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.loop import RunResult
from planner.policy import Approver, FixedApprover


class DeskError(Exception):
    """A tool call that did not do what it was asked (bad input, a denied or failed action); the MCP client
    receives it as a tool error."""


@dataclass
class Desk:
    """The display the MCP server works on, where its runs are written, and who answers approvals."""

    display: str
    out: Path = Path("runs")
    approver: Approver = field(default_factory=FixedApprover)
    monitor: int = 1
    input_driver: str = "pyautogui"
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _parser: Any = None

    def run_task(self, task: str, max_steps: int = 30, agent: str = "") -> str:
        """Carry out a task with the configured agent (planner, native or direct); DeskError unless it is done."""
        from app.engine.agents import choose_agent
        from models.settings import SettingsError

        try:
            choice = choose_agent(agent)
        except SettingsError as exc:
            raise DeskError(str(exc)) from None
        return self._run(task, max_steps, choice.model, choice.native, f"agent: {choice.line}\n")

    def command(self, instruction: str) -> str:
        """A direct command ("click Save", "type 'hi' into the Name field"), grounded on the live screen."""
        return self._run(instruction, 10, None, None, "")

    def look(self, max_lines: int = 80) -> tuple[str, bytes]:
        """The screen as the planner reads it (controls and text, fenced as data) and a PNG screenshot."""
        import cv2

        from app.desktop.session import screen_source
        from grounding.parser import ScreenParser
        from planner.prompting import screen_block

        with self._lock:
            source = screen_source(self.display, self.monitor)
            try:
                obs = source.capture()
            finally:
                getattr(source, "close", lambda: None)()
            self._parser = self._parser or ScreenParser()
            screen = self._parser.parse(obs.image)
        ok, png = cv2.imencode(".png", cv2.cvtColor(obs.image, cv2.COLOR_RGB2BGR))
        size = f"screen {obs.frame.width}x{obs.frame.height} at ({obs.frame.left}, {obs.frame.top})"
        return f"{size}\n{screen_block(screen, limit=max_lines)}", png.tobytes()

    def trajectory(self, folder: str = "", last: int = 20) -> str:
        """The steps of a run (the newest run when ``folder`` is empty) as JSON lines, secrets already masked."""
        from planner.trajectory import load

        path = Path(folder) if folder else self._newest()
        if not (path / "traj.jsonl").exists():
            raise DeskError(f"{path} holds no trajectory (traj.jsonl); give a run folder under {self.out}.")
        lines = [json.dumps({"step": s["step_num"], "action": s["action"], "response": s["response"][:400],
                             "outcome": s.get("outcome"), "policy": s.get("policy")},
                            ensure_ascii=False) for s in load(path)[-max(1, last):]]
        result = (path / "result.txt").read_text().strip() if (path / "result.txt").exists() else "running"
        return "\n".join([f"run: {path}", f"result: {result}", *lines])

    def _newest(self) -> Path:
        runs = sorted((p for p in self.out.glob("*") if (p / "traj.jsonl").exists()), key=lambda p: p.stat().st_mtime)
        if not runs:
            raise DeskError(f"There is no run under {self.out} yet; run a task or a command first.")
        return runs[-1]

    def _run(self, task: str, max_steps: int, model: Any, native: Any, head: str) -> str:
        from app.engine.compose import Parts, compose
        from app.engine.options import RunOptions

        options = RunOptions(task=task, display=self.display, out=self.out, max_steps=max_steps,
                             monitor=self.monitor, input_driver=self.input_driver,
                             agent="auto" if model is not None or native is not None else "direct")
        with self._lock:
            result: RunResult = compose(options, parts=Parts(approver=self.approver, model=model,
                                                             native=native)).run()
        text = f"{head}{result.status}: {result.message}\ntrajectory: {result.folder}"
        if result.status != "done":
            raise DeskError(text)
        return text
