"""Comparing what a person says with what OCR or an accessibility tree read: normalised, OCR-folded, fuzzy."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

OCR_CONFUSABLE = str.maketrans({"I": "l", "1": "l", "|": "l", "!": "l", "0": "O"})
CLOSE_WORDS = {"x", "×", "✕", "✖", "close"}


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """Lower case, compatibility forms folded, brackets and quotes turned into spaces, ends trimmed."""
    text = unicodedata.normalize("NFKC", text).replace("×", "x").replace("’", "'")
    text = re.sub(r"[^\w#@.+\-'€$£¥%&*/=<>?!:]+", " ", text.lower())
    text = re.sub(r"\s+", " ", text)
    stripped = text.strip(" .'!?:")
    return stripped if stripped else text.strip()  # "=" and "?" alone stay what they are


def squash(text: str) -> str:
    """Normalised and without spaces: OCR drops spaces in small text, so text is compared this way."""
    return normalise(text).replace(" ", "")


def shows(seen: str, wanted: str) -> bool:
    """Whether text read off a screen contains ``wanted``."""
    return squash(wanted) in squash(seen)


@lru_cache(maxsize=16384)
def ocr_fold(text: str) -> str:
    """Fold characters OCR mixes up (l/I/1, O/0, accents it drops) so 'ldB' and 'IdB' compare equal."""
    return normalise(bare(text.translate(OCR_CONFUSABLE).replace("rn", "m")))


def bare(text: str) -> str:
    """Without accents: 'Crème brûlée' -> 'Creme brulee' (OCR often drops them; people often leave them out)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def text_score(wanted: str, seen: str) -> float:
    """1.0 for an exact match, a little less when only case or OCR-confusable letters differ, the fuzzy ratio
    above 0.75, 0.6 when every wanted word is among the words seen, else 0."""
    if not wanted or not seen:
        return 0.0
    if wanted == seen:
        return 1.0
    a, b = normalise(wanted), normalise(seen)
    if not a or not b:
        return 0.9 if unicodedata.normalize("NFKC", wanted).strip() == unicodedata.normalize("NFKC", seen).strip() \
            else 0.0
    if a == b:
        return 0.97
    if squash(wanted) == squash(seen):
        return 0.95  # OCR ran the words together ("SignIn")
    if normalise(bare(wanted)) == normalise(bare(seen)):
        return 0.94  # the same letters, accents aside
    if ocr_fold(wanted) == ocr_fold(seen):
        return 0.93
    if 2 * min(len(a), len(b)) >= 0.75 * (len(a) + len(b)):  # ratio() can reach 0.75 only with similar lengths
        matcher = SequenceMatcher(None, a, b)
        if matcher.quick_ratio() >= 0.75:  # a cheap upper bound of ratio()
            ratio = matcher.ratio()
            if ratio >= 0.75 and _every_word_shows(a, b):
                return ratio * 0.9
    if set(a.split()) <= set(b.split()) or set(ocr_fold(wanted).split()) <= set(ocr_fold(seen).split()):
        return 0.6  # every word asked for is there, among others ("section" in "Section #17")
    return 0.0


def _every_word_shows(wanted: str, seen: str) -> bool:
    """Whether each word of ``wanted`` (normalised) shows in ``seen``, loosely: OCR misreads letters and runs
    words together, but a word missing outright makes another label ("Save preferences" is not "Notification
    preferences", however alike the letters)."""
    words = seen.split()
    flat = seen.replace(" ", "")
    return all(len(w) < 3 or w in flat or any(SequenceMatcher(None, w, s).ratio() >= 0.7 for s in words)
               for w in wanted.split())


def is_close_word(text: str) -> bool:
    """Whether ``text`` names a window's or dialog's close control ("x", "×", "Close")."""
    return normalise(text) in CLOSE_WORDS


# glyphs that stand for a named icon, as OCR or a tree may give them: "the star icon" can be an element named ☆
ICON_GLYPHS: dict[str, frozenset[str]] = {
    "star": frozenset("☆★✩✪✫⭐"), "heart": frozenset("♡♥❤"), "like": frozenset("♡♥❤👍"),
    "close": frozenset("×✕✖x"), "menu": frozenset("☰≡三"),
    "more": frozenset({"…", "⋯", "...", "•••", "⋮", "︙", "More", "more"}),
    "search": frozenset("🔍⌕"), "settings": frozenset("⚙"), "gear": frozenset("⚙"), "trash": frozenset("🗑"),
    "delete": frozenset("🗑"), "mail": frozenset("✉"), "email": frozenset("✉"), "home": frozenset("⌂🏠"),
    "play": frozenset("▶►"), "pause": frozenset("⏸"), "check": frozenset("✓✔"), "add": frozenset("+➕"),
    "plus": frozenset("+➕"), "minus": frozenset("−-"), "info": frozenset("ℹ"), "phone": frozenset("☎"),
    "reply": frozenset("↩"), "refresh": frozenset("↻⟳"), "back": frozenset("←"), "forward": frozenset("→"),
    "edit": frozenset("✎✏"), "share": frozenset("⇪"), "retweet": frozenset("🔁⇄"),
}


def icon_score(wanted: str, seen: str) -> float:
    """0.9 when ``seen`` is a glyph that stands for the icon ``wanted`` names ("star" and "☆"), else 0."""
    glyphs = ICON_GLYPHS.get(normalise(wanted))
    return 0.9 if glyphs and seen.strip() in glyphs else 0.0
