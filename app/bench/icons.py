"""`deskpilot bench icons`: how often, and how rightly, icons drawn by artists the references do not include are
named by their shape (grounding/icon_match.py).

Each held-out theme (an icon theme that is not one of the references: Papirus, elementary-xfce, ...) gives two
sets of pictures, drawn as grounding/icon_refs.py draws the references: its own pictures of the standard actions
(the share named is the coverage, the share of those named rightly the precision), and its other action pictures
(any name given to one of those is wrong: they are no standard action).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from grounding.icon_match import action, nearest, said
from grounding.icon_refs import ACTIONS, DECOY_SIZE, REFERENCE_THEMES, ROOTS, decoy, picture, theme_files


def held_out(root: Path, themes: list[str] | None = None) -> list[Path]:
    """The theme folders under ``root`` to measure: those named, or every one that is no reference theme nor
    a variant of one (breeze-dark draws breeze's shapes)."""
    if themes:
        return [root / t for t in themes]
    refs = tuple(t.lower() for t in REFERENCE_THEMES)
    return [d for d in sorted(root.iterdir()) if d.is_dir() and not d.name.lower().startswith(refs)
            and (d / "index.theme").is_file()]


def measure(theme: Path, roots: tuple[Path, ...] = ROOTS) -> dict:
    """One held-out theme's counts, and the pictures named wrongly."""
    c: Counter = Counter()
    wrong = []
    for name, path, size in theme_files(theme):
        drawn = picture(path, size)
        if name not in ACTIONS or drawn is None:
            continue
        named = nearest(drawn, roots)[0]
        c["actions"] += 1
        c["named"] += bool(named)
        c["right"] += action(named) == name  # Qt's "Create New Folder" for a theme's folder-new is right
        if named and action(named) != name:
            wrong.append(f"{theme.name}/{name} at {size} px named {said(named)!r}")
    for path in _others(theme):
        drawn = picture(path, DECOY_SIZE)
        if drawn is None:
            continue
        named = said(nearest(drawn, roots)[0])
        c["others"] += 1
        c["others_named"] += bool(named)
        if named:
            wrong.append(f"{theme.name}/{path.name.split('.')[0]} (no standard action) named {named!r}")
    return {"theme": theme.name, **c, "wrong": wrong}


def _others(theme: Path) -> list[Path]:
    """The theme's own pictures of other actions at the decoys' size (no link, alias or variant of a standard
    action)."""
    out = []
    for path in sorted(theme.rglob("*")):
        rel = path.relative_to(theme).parts
        stem = path.name.split(".")[0].removesuffix("-symbolic")
        if ("actions" in rel and str(DECOY_SIZE) in "".join(rel[:-1]) and path.suffix in (".png", ".svg")
                and stem not in ACTIONS and decoy(stem, path)):
            out.append(path)
    return out


def summary(rows: list[dict]) -> dict:
    """The figures over all held-out themes."""
    total: Counter = Counter()
    for r in rows:
        total.update({k: v for k, v in r.items() if isinstance(v, int)})
    return {"themes": [r["theme"] for r in rows], **total,
            "coverage": round(total["right"] / max(1, total["actions"]), 3),
            "precision": round(total["right"] / max(1, total["named"]), 3),
            "others_named_rate": round(total["others_named"] / max(1, total["others"]), 4),
            "references": list(REFERENCE_THEMES), "rows": rows}
