"""Ground truth for the screen bench, and how a parsed Screen is scored against it.

A control is found when a parsed control of the same role family has a box with IoU >= 0.5 with the true box,
or holds the true box's centre and is at most twice its area; truth and parse are paired one to one, best
overlap first. A name the truth knows only from a tooltip (an icon-only button's description) is drawn nowhere:
it is counted apart, not in name accuracy. A parsed control that overlaps no true control at all is a phantom.
A true text line is found when the parsed text and links lying on it (vertically overlapping it by half a line,
horizontally touching it) read the same text (similarity >= 0.8, spaces ignored, or the line's text contained
in theirs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from grounding.elements import Box, Element, Screen
from grounding.legend import render, tokens
from grounding.locate import squash

FAMILIES = {"button": "button", "menu_item": "item", "menu_bar_item": "button", "link": "link",
            "text_field": "entry", "text_area": "entry", "spin_box": "entry", "checkbox": "checkbox",
            "radio": "radio", "dropdown": "dropdown", "list_box": "list_box", "option": "item", "tree_item": "item",
            "cell": "item", "tab": "tab", "slider": "slider"}
SCORED_STATES = frozenset({"checked", "selected", "disabled", "expanded"})  # states pixels can show
NAME_SIMILARITY = 0.85


@dataclass(frozen=True)
class TruthControl:
    """A control as the DOM or the accessibility tree knows it (box in image pixels)."""

    role: str
    name: str
    box: Box
    value: str = ""
    states: frozenset[str] = frozenset()
    name_drawn: bool = True  # False: the name is only a tooltip (an icon-only button), nothing on screen says it


@dataclass(frozen=True)
class TruthLine:
    text: str
    box: Box


@dataclass(frozen=True)
class Truth:
    """What one screenshot really shows."""

    controls: tuple[TruthControl, ...]
    lines: tuple[TruthLine, ...]


@dataclass
class Score:
    """Counts from scoring one parsed screen against its truth; ``misses`` says what went wrong, for reading."""

    controls: int = 0
    found: int = 0
    named: int = 0
    names_right: int = 0
    stated: int = 0
    states_right: int = 0
    predicted: int = 0
    phantoms: int = 0
    tooltip_names: int = 0  # found controls named only by a tooltip: not in name_accuracy
    lines: int = 0
    lines_found: int = 0
    legend_tokens: int = 0
    parse_ms: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("controls", "found", "named", "names_right", "stated", "states_right", "predicted",
                     "phantoms", "tooltip_names", "lines", "lines_found"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def family(role: str) -> str:
    return FAMILIES.get(role, role)


def overlaps(pred: Box, true: Box) -> bool:
    """The matching rule: IoU >= 0.5, or the parsed box holds the true centre and is at most twice its area."""
    return pred.iou(true) >= 0.5 or (pred.contains_point(*true.center) and pred.area <= 2 * true.area)


def same_name(pred: str, true: str) -> bool:
    a, b = squash(pred), squash(true)
    return a == b or (bool(a) and SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY)


def score(truth: Truth, screen: Screen, parse_ms: float = 0.0) -> Score:
    """Score ``screen`` against ``truth``."""
    s = Score(parse_ms=parse_ms, legend_tokens=tokens(render(screen)))
    preds = screen.controls()
    pairs = _pairs(truth.controls, preds)
    s.controls, s.predicted = len(truth.controls), len(preds)
    for t in truth.controls:
        p = pairs.get(id(t))
        if p is None or family(p.role) != family(t.role):
            s.misses.append(f"missed {t.role} {t.name!r} at {t.box.to_list()}"
                            + (f" (parsed as {p.role} {p.name!r})" if p is not None else ""))
            continue
        s.found += 1
        if t.name and not t.name_drawn:
            s.tooltip_names += 1  # what no pixel shows is not a miss of the pixels
        elif t.name:
            s.named += 1
            right = same_name(p.name, t.name)
            s.names_right += right
            if not right:
                s.misses.append(f"named {p.name!r}, truly {t.name!r} ({t.role})")
        s.stated += 1
        want, got = t.states & SCORED_STATES, p.states & SCORED_STATES
        s.states_right += want == got
        if want != got:
            s.misses.append(f"{t.role} {t.name!r} states {sorted(got)}, truly {sorted(want)}")
    for p in preds:
        if not any(overlaps(p.box, t.box) or overlaps(t.box, p.box) for t in truth.controls):
            s.phantoms += 1
            s.misses.append(f"phantom {p.role} {p.name!r} at {p.box.to_list()}")
    s.lines = len(truth.lines)
    for line in truth.lines:
        if _line_found(line, screen.elements):
            s.lines_found += 1
        else:
            s.misses.append(f"text line {line.text!r} not read")
    return s


def _pairs(truths: tuple[TruthControl, ...], preds: list[Element]) -> dict[int, Element]:
    """One parsed control per true control: same family first, then the larger overlap."""
    candidates = [(family(p.role) == family(t.role), p.box.iou(t.box), i, j)
                  for i, t in enumerate(truths) for j, p in enumerate(preds) if overlaps(p.box, t.box)]
    taken_t, taken_p, out = set(), set(), {}
    for _, _, i, j in sorted(candidates, reverse=True):
        if i in taken_t or j in taken_p:
            continue
        taken_t.add(i)
        taken_p.add(j)
        out[id(truths[i])] = preds[j]
    return out


def _line_found(line: TruthLine, elements: tuple[Element, ...]) -> bool:
    box = line.box
    on = [e for e in elements if e.name and (not e.is_control or e.role == "link")
          and min(e.box.y1, box.y1) - max(e.box.y0, box.y0)
          >= 0.5 * min(e.box.height, box.height) and e.box.x1 > box.x0 and e.box.x0 < box.x1]
    seen = squash(" ".join(e.name for e in sorted(on, key=lambda e: e.box.x0)))
    want = squash(line.text)
    if not want:
        return True
    return want in seen or SequenceMatcher(None, want, seen).ratio() >= 0.8


def summary(scores: list[Score]) -> dict:
    """The figures: recall, name and state accuracy, phantom rate, text line recall, legend size, parse time."""
    total = Score()
    for s in scores:
        total.add(s)
    ordered = sorted(s.legend_tokens for s in scores)
    return {"screens": len(scores), "controls": total.controls, "predicted_controls": total.predicted,
            "control_recall": _ratio(total.found, total.controls),
            "name_accuracy": _ratio(total.names_right, total.named), "tooltip_names": total.tooltip_names,
            "state_accuracy": _ratio(total.states_right, total.stated),
            "phantom_rate": _ratio(total.phantoms, total.predicted, empty=0.0),
            "text_lines": total.lines, "text_line_recall": _ratio(total.lines_found, total.lines),
            "legend_tokens_median": ordered[len(ordered) // 2] if ordered else 0,
            "parse_ms_median": round(sorted(s.parse_ms for s in scores)[len(scores) // 2], 1) if scores else 0.0}


def _ratio(n: int, d: int, empty: float = 1.0) -> float:
    return round(n / d, 4) if d else empty
