"""Native computer-use models: one call per step, screenshot in, actions out, each protocol in its own module.

``anthropic`` (Claude's computer tool), ``openai`` (the Responses API computer tool), ``uitars`` (UI-TARS-1.5's
Thought/Action grammar) and ``qwen25`` / ``qwen3`` (Qwen-VL's computer_use function). Every adapter converts its
model's coordinate frame through grounding/coords.py; the agent around them (planner/native/base.py) keeps
DeskPilot's gate, trajectory, stop, pause and budget.
"""

from __future__ import annotations

from typing import Any

from models.chat import Meter
from models.native_settings import NativeSettings
from planner.native.base import NativeAgent, Wire
from planner.policy import Approver, FixedApprover


def make_wire(settings: NativeSettings, task: str) -> Wire:
    """The protocol adapter the settings name, with the run's token and cost meter."""
    meter = Meter(settings.price_in, settings.price_out, settings.max_tokens, settings.max_cost)
    match settings.protocol:
        case "anthropic":
            from planner.native.anthropic import AnthropicComputer

            return AnthropicComputer(settings, task, meter)
        case "openai":
            from planner.native.openai import OpenAIComputer

            return OpenAIComputer(settings, task, meter)
        case "uitars":
            from planner.native.uitars import UITarsComputer

            return UITarsComputer(settings, task, meter)
        case "qwen25" | "qwen3":
            from planner.native.qwen import QwenComputer

            return QwenComputer(settings, task, meter, name=settings.protocol)
    raise ValueError(f"unknown native protocol {settings.protocol!r}")


def make_agent(settings: NativeSettings, task: str, approver: Approver | None = None, **kwargs: Any) -> NativeAgent:
    """A native agent for ``task``; ``approver`` hears the protocol's safety checks (a fixed answer never
    acknowledges one)."""
    return NativeAgent(make_wire(settings, task), task, approver or FixedApprover("deny"), settings.legend,
                       settings.exchanges, **kwargs)
