"""Date and time fields drawn as segments (Chromium's <input type=date|time|datetime-local|month|week>): one field
with the value it shows, the format it wants ("mm/dd/yyyy"), and the order its parts are typed in.

Chromium exposes such a field as a "date editor" holding one spin button per part and static separators between
them; each spin button's attributes carry what it shows (``valuetext``) and what it shows when empty
(``placeholder``: "mm", "dd", "yyyy"; "--" for a time's parts). The field is read as one text field here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# a time's parts show "--" when empty: a person calls them by these letters; the names are Chromium's own
PART_WORDS = {"hours": "hh", "minutes": "mm", "seconds": "ss", "milliseconds": "sss", "am/pm": "AM/PM",
              "week": "ww", "year": "yyyy", "month": "mm", "day": "dd"}
EMPTY_SHOWN = ("", "0", "--")  # what an unset part's value text says (a set one is padded: "00", "07")


@dataclass(frozen=True)
class Part:
    """One segment of a date or time field: what it shows, what it shows when empty, its accessible name."""

    shown: str
    placeholder: str = ""
    name: str = ""

    @property
    def empty(self) -> bool:
        return self.shown.strip() in EMPTY_SHOWN

    @property
    def word(self) -> str:
        """The part as a format says it: its placeholder ("dd") or, where that is dashes, its name's letters."""
        if re.search(r"[^\W\d_]", self.placeholder):
            return self.placeholder
        first = self.name.split(" ")[0].lower() if self.name else ""
        if first == "month" and len(self.placeholder) > 2:
            return "mmmm"  # a month shown by its name (a month input's "December")
        return PART_WORDS.get(first, self.placeholder or "--")


def field_format(parts: list[Part], separators: list[str]) -> str:
    """'mm/dd/yyyy', 'hh:mm AM/PM', 'mm/dd/yyyy, hh:mm AM/PM': the parts' words joined by what the field draws."""
    return _joined([p.word for p in parts], separators)


def field_value(parts: list[Part], separators: list[str]) -> str:
    """What the field shows: '' when every part is empty, else each part's text (an empty one's placeholder)."""
    if all(p.empty for p in parts):
        return ""
    return _joined([p.word if p.empty else p.shown for p in parts], separators)


def _joined(words: list[str], separators: list[str]) -> str:
    out = words[0] if words else ""
    for i, w in enumerate(words[1:]):
        sep = (separators[i] if i < len(separators) else "").strip()
        out += (sep if sep in ("/", ".", "-", ":") else f"{sep} ") + w
    return out.strip()


MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
_TIME = re.compile(r"(?<!\d)(\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*([ap])?\.?\s*m?\.?(?![a-z])", re.I)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?!\d)")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,4})[/.\-](\d{1,4})(?:[/.\-](\d{1,4}))?(?!\d)")


@dataclass(frozen=True)
class Moment:
    """The parts a person's text gives: any of year, month, day, hour (0-23), minute, second."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None


def keys_for(fmt: str, text: str) -> str | None:
    """What to type into a segmented field of format ``fmt`` for ``text``, part by part in the field's own order
    ("12/24/2026" into dd.mm.yyyy -> "24122026"; "7:05 pm" into hh:mm AM/PM -> "0705P"); None when ``text`` does
    not give every part the field has."""
    parts = part_keys(fmt, text)
    return "".join(k for k, _ in parts) if parts is not None else None


def part_keys(fmt: str, text: str) -> list[tuple[str, bool]] | None:
    """Each part's keys, and whether the field must be moved on to the next part by hand after it: a year takes
    more than four digits and a month shown by its name waits for more; the two-digit parts move on by themselves."""
    words = [_canonical(w.lower()) for w in re.findall(r"AM/PM|[A-Za-z]+", fmt)]
    moment = parse_moment(text, "dd" in words and "mm" in words and words.index("dd") < words.index("mm"))
    out, seen_hour = [], False
    for i, w in enumerate(words):
        seen_hour = seen_hour or w == "hh"
        key = _key(w, moment, minutes=seen_hour and w == "mm", twelve="am/pm" in words)
        if key is None:
            return None
        out.append((key, w in ("yyyy", "mmmm") and i < len(words) - 1))
    return out or None


def _canonical(word: str) -> str:
    """A placeholder's word in any language as yyyy, mmmm (a month's name), mm, dd, hh or ss: a year has four
    letters (yyyy, jjjj, aaaa), a month's start with m, a day's vary (dd, tt, jj, gg)."""
    if word in ("am/pm", "hh", "ss", "mm", "mmmm", "ww"):  # a week number is no day: typed as the text says it
        return word
    return "yyyy" if len(word) >= 4 else "dd" if len(word) == 2 else word


def _key(word: str, m: Moment, minutes: bool, twelve: bool) -> str | None:
    if word == "am/pm":
        return None if m.hour is None else ("P" if m.hour >= 12 else "A")
    number = {"yyyy": m.year, "dd": m.day, "hh": _hour(m.hour, twelve), "ss": m.second, "mmmm": m.month,
              "mm": m.minute if minutes else m.month}.get(word)
    if number is None:
        return None
    return f"{number:04d}" if word == "yyyy" else f"{number:02d}"


def _hour(hour: int | None, twelve: bool) -> int | None:
    if hour is None or not twelve:
        return hour
    return hour % 12 or 12


def parse_moment(text: str, day_first: bool = False) -> Moment:
    """The date and time in ``text``: ISO ("2026-12-24T13:30"), numeric ("12/24/2026", in the field's order
    ``day_first`` unless a number over 12 says otherwise), month names ("24 December 2026"), times ("7:05 pm")."""
    t = text.strip()
    hour = minute = second = None
    if (tm := _TIME.search(t.replace("T", " "))) is not None:
        hour, minute = int(tm.group(1)), int(tm.group(2))
        second = int(tm.group(3)) if tm.group(3) else None
        half = (tm.group(4) or "").lower()
        hour = hour % 12 + (12 if half == "p" else 0) if half else hour
        t = (t[:tm.start()] + " " + t[tm.end():]).replace("T", " ")
    year, month, day = _date_parts(t, day_first)
    return Moment(year, month, day, hour, minute, second)


def _date_parts(t: str, day_first: bool) -> tuple[int | None, int | None, int | None]:
    if (iso := _ISO.search(t)) is not None:
        return int(iso.group(1)), int(iso.group(2)), int(iso.group(3)) if iso.group(3) else None
    if (num := _NUMERIC.search(t)) is not None:
        a, b, c = (int(g) if g else None for g in num.groups())
        if c is None:  # "12/2026": a month and a year
            return (b, a, None) if len(num.group(2)) == 4 else (None, a, None) if a <= 12 else (a, b, None)
        if len(num.group(1)) == 4:
            return a, b, c
        first_is_day = a > 12 or (day_first and b <= 12)
        return c, (b if first_is_day else a), (a if first_is_day else b)
    named = next((i + 1 for i, name in enumerate(MONTH_NAMES)
                  if re.search(rf"\b{name[:3]}[a-z]*\.?(?![a-z])", t, re.I)), None)
    numbers = [int(n) for n in re.findall(r"(?<!\d)\d{1,4}(?!\d)", t)]
    if named is None:
        return None, None, None
    year = next((n for n in numbers if n > 31), None)
    day = next((n for n in numbers if 1 <= n <= 31), None)
    return year, named, day


PLACEHOLDER_LETTERS = "mdyhsjtag"  # mm, dd, yyyy, hh, ss; German tt.mm.jjjj, French jj/mm/aaaa, Italian gg/mm/aaaa


def _read_word(word: str) -> str:
    """A placeholder word as OCR read it ("d" for "dd"): three letters or more are a year."""
    if len(word) >= 3:
        return "yyyy"
    return {"m": "mm", "h": "hh", "s": "ss"}.get(word[0], "dd")


def format_of(fmt: str, value: str) -> str:
    """A field's format: the one the tree gave, else what an empty field shows in the pixels: its placeholder
    ("mm/dd/yyyy", read by OCR as "[mm/d/ yyyy"), or a time's dashes ("--:-- --": hours, minutes, AM/PM)."""
    if fmt:
        return fmt
    if re.search(r"\d", value):
        return ""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", value)]
    if len(words) >= 2 and all(w == len(w) * w[0] and w[0] in PLACEHOLDER_LETTERS for w in words):
        seps = re.findall(r"[/.\-]", value)
        sep = max(set(seps), key=seps.count) if seps else "/"
        return sep.join(_read_word(w) for w in words)
    dashes = re.sub(r"[\u2013\u2014_]", "-", value)
    marks = dashes.replace(" ", "")
    if not re.search(r"[^\W\d_]", value) and marks.count("-") >= 3 and marks.count("-") >= 0.6 * len(marks):
        runs = len(re.findall(r"-+", dashes))  # OCR reads the colon as ".", "+" or nothing
        return "hh:mm AM/PM" if runs >= 3 else "hh:mm"
    return ""


def part_count(fmt: str) -> int:
    return len(re.findall(r"AM/PM|[A-Za-z]+", fmt))


def shows(fmt: str, seen: str, typed: str) -> bool:
    """Whether a field of format ``fmt`` that shows ``seen`` holds the date or time ``typed``: the same parts,
    however either is spelt ("24 December 2026" is shown as "12/24/2026")."""
    want = keys_for(fmt, typed)
    return want is not None and keys_for(fmt, seen) == want
