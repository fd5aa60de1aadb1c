"""Key names as computer-use models write them (xdotool keysyms, OpenAI's upper-case names, UI-TARS's lower-case
words) mapped onto DeskPilot's; an unknown name raises ActionError, which goes back to the model."""

from __future__ import annotations

import re

from planner.actions import ActionError, Key, normalise_key, valid_key

ALIASES = {
    "return": "enter", "kp_enter": "enter", "backspace": "backspace", "back_space": "backspace", "del": "delete",
    "esc": "escape", "arrowup": "up", "arrowdown": "down", "arrowleft": "left", "arrowright": "right",
    "page_up": "pageup", "page_down": "pagedown", "prior": "pageup", "next": "pagedown", "pgup": "pageup",
    "pgdn": "pagedown", "super_l": "super", "super_r": "super", "meta_l": "super", "win": "super",
    "windows": "super", "cmd": "super", "command": "super", "control_l": "ctrl", "control_r": "ctrl",
    "ctrl_l": "ctrl", "ctrl_r": "ctrl", "shift_l": "shift", "shift_r": "shift", "alt_l": "alt", "alt_r": "alt",
    "option": "alt", "caps_lock": "capslock", "print": "printscreen", "ins": "insert", "spacebar": "space",
    "minus": "-", "plus": "+", "equal": "=", "comma": ",", "period": ".", "slash": "/", "backslash": "\\",
    "semicolon": ";", "apostrophe": "'", "grave": "`", "bracketleft": "[", "bracketright": "]",
}


def key_name(name: str) -> str:
    """One key as DeskPilot names it; ActionError for a name no keyboard has."""
    raw = name.strip()
    if len(raw) == 1:
        return raw.lower() if raw.isalpha() else raw
    key = normalise_key(ALIASES.get(raw.lower(), raw.lower()))
    if not valid_key(key):
        raise ActionError(f"keys: {name!r} is not a key this keyboard has")
    return key


def chord(names: list[str] | tuple[str, ...]) -> Key:
    """Keys pressed together (modifiers first) as one Key action."""
    keys = [key_name(n) for n in names if n.strip()]
    if not keys:
        raise ActionError("keys: name at least one key")
    return Key(keys=tuple(keys))


def split_chord(text: str, separators: str = r"\+") -> Key:
    """'ctrl+shift+t' (xdotool) or 'ctrl c' (UI-TARS, with separators r'\\s+') as one Key action."""
    parts = re.split(separators, text.strip()) if text.strip() != "+" else ["+"]
    return chord([p for p in parts if p])
