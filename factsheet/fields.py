"""Reading one YAML mapping's fields into typed values — text, ids, numbers, dates, choices — with every error
located by file, line and field; the checks of characters and dates that every text and date of the content meets.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from typing import Any

from .load import Node
from .markup import url_problem
from .model import LANGS, ContentError, Date, Loc, Period, Text

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(
    r"^(?P<year>\d{4})"
    r"(?:-H(?P<half>\d)|-Q(?P<quarter>\d)|-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r"(?:-(?P<part>early|mid|end))?$")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they reorder how text is shown, so a figure could read other than it is."""
MISSING = object()


FORBIDDEN_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters (category Cc) and bidi controls: what `text_problem` looks for, found at C speed."""


def text_problem(text: str, newlines: bool = False) -> str:
    r"""Return what is wrong with the characters of a text, or "" (control characters, bidi controls).

    >>> text_problem("2024年 GDP"), text_problem("a\u202eb"), text_problem("a\x07b"), text_problem("a\nb", newlines=True)
    ('', 'holds the invisible bidi control U+202E at character 2', 'holds the control character U+0007 at character 2', '')
    """
    for match in FORBIDDEN_RE.finditer(text):
        char, index = match[0], match.start() + 1
        if newlines and char in "\n\t":
            continue
        if char == "\n":
            return f"holds a line break at character {index}; write it on one line"
        if char in BIDI_CONTROLS:
            return f"holds the invisible bidi control U+{ord(char):04X} at character {index}"
        return f"holds the control character U+{ord(char):04X} at character {index}"
    return ""


TEXT_HINT = "delete the character (retype the text if it was pasted); write line breaks only in Markdown pages"


class Record:
    """One YAML mapping being read into a dataclass; records errors instead of raising."""

    def __init__(self, node: Any, src_path: str, where: str, errors: list[ContentError]):
        self.src_path = src_path
        self.where = where
        self.errors = errors
        self.ok = isinstance(node, Node)
        self.node: Node = node if self.ok else Node()
        self.line = node.line if self.ok else 0
        self.used: set[str] = set()
        if not self.ok:
            self.fail(None, f"expected a mapping of fields, got {show(node)}",
                      "write each item as 'key: value' lines under a '- ' list entry")

    @property
    def loc(self) -> Loc:
        """Return where this record was written."""
        return Loc(self.src_path, self.line)

    def fail(self, key: str | None, message: str, hint: str = "") -> None:
        """Record an error on `key` (or on the whole record)."""
        line = self.node.line_of(key) if key and self.ok else (self.line or None)
        where = f"{self.where}.{key}" if key else self.where
        self.errors.append(ContentError(self.src_path, line, where, message, hint))

    def raw(self, key: str, required: bool = True) -> Any:
        """Return the raw value of `key`, or MISSING (recording an error when required)."""
        self.used.add(key)
        if key in self.node and self.node[key] is not None:
            return self.node[key]
        if required:
            self.fail(key, "missing", f"add '{key}:' to this item")
        return MISSING

    def str(self, key: str, required: bool = True, default: str = "") -> str:
        """Read a non-empty string."""
        value = self.raw(key, required)
        if value is MISSING:
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"expected text, got {show(value)}", "write the text after the colon")
            return default
        problem = text_problem(value.strip())
        if problem:
            self.fail(key, problem, TEXT_HINT)
            return default
        return value.strip()

    def url(self, key: str) -> str:
        """Read a web address: absolute http(s), checked by the rule every address in the content meets."""
        value = self.str(key)
        problem = url_problem(value) if value else ""
        if value and not problem and not re.match(r"https?://[^/]+", value, re.IGNORECASE):
            problem = f"{value!r} is not an absolute web address"
        if problem:
            self.fail(key, problem, "write the full address, e.g. https://creativecommons.org/licenses/by/4.0/")
            return ""
        return value

    def id(self, key: str = "id") -> str:
        """Read an id: lower-case letters, digits and single hyphens."""
        value = self.str(key)
        if value and not ID_RE.match(value):
            self.fail(key, f"{value!r} is not a valid id",
                      "use lower-case ASCII letters, digits and single hyphens, e.g. 2024-02-key-projects")
        return value

    def ids(self, key: str) -> tuple[str, ...]:
        """Read an optional list of ids."""
        value = self.raw(key, required=False)
        if value is MISSING:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and ID_RE.match(v) for v in value):
            self.fail(key, f"expected a list of ids, got {show(value)}", "write [id-one, id-two]")
            return ()
        return tuple(value)

    def text(self, key: str, required: bool = True) -> Text | None:
        """Read a bilingual `{zh: …, en: …}` text."""
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, Node):
            self.fail(key, f"expected {{zh: …, en: …}}, got {show(value)}",
                      "give the text in both languages: {zh: 中文, en: English}")
            return None
        parts = {}
        for lang in LANGS:
            part = value.get(lang)
            if isinstance(part, (int, float)) and not isinstance(part, bool):
                part = str(part)
            if not isinstance(part, str) or not part.strip():
                missing = "missing" if part is None else f"expected text, got {show(part)}"
                self.errors.append(ContentError(
                    self.src_path, value.line_of(lang), f"{self.where}.{key}.{lang}",
                    f"{missing}" if part is None else missing,
                    f"add the {'Chinese' if lang == 'zh' else 'English'} text: {lang}: …"))
            elif problem := text_problem(part.strip()):
                self.errors.append(ContentError(self.src_path, value.line_of(lang), f"{self.where}.{key}.{lang}",
                                                problem, TEXT_HINT))
            else:
                parts[lang] = part.strip()
        for extra in sorted(set(value) - set(LANGS)):
            self.errors.append(ContentError(
                self.src_path, value.line_of(extra), f"{self.where}.{key}.{extra}",
                "unknown language",
                "a bilingual text has exactly two keys, zh and en; in {zh: …, en: …} put text with a comma in quotes"))
        return Text(parts["zh"], parts["en"]) if len(parts) == 2 else None

    def texts(self, key: str) -> tuple[Text, ...]:
        """Read a list of bilingual texts."""
        value = self.raw(key)
        if value is MISSING:
            return ()
        if not isinstance(value, list):
            self.fail(key, f"expected a list, got {show(value)}", "write one '- {zh: …, en: …}' per line")
            return ()
        out = []
        for i, item in enumerate(value):
            sub = Record(Node({"item": item}), self.src_path, f"{self.where}.{key}[{i}]", self.errors)
            sub.line = item.line if isinstance(item, Node) else self.node.line_of(key)
            sub.node.line = sub.line
            sub.node.key_lines = {"item": sub.line}
            text = sub.text("item")
            if text:
                out.append(text)
        return tuple(out)

    def number(self, key: str) -> float | tuple[float, float] | None:
        """Read a number, or a [low, high] pair of numbers."""
        value = self.raw(key)
        if value is MISSING:
            return None
        if isinstance(value, list) and len(value) == 2 and all(is_number(v) for v in value):
            if value[0] >= value[1]:
                self.fail(key, f"range {value} is not increasing", "write [low, high]")
                return None
            return (value[0], value[1])
        if is_number(value):
            return value
        if isinstance(value, list) and all(is_number(v) for v in value):
            self.fail(key, f"a range has two numbers, got {len(value)}", "write [low, high]")
        elif any(isinstance(v, float) and not math.isfinite(v) for v in (value if isinstance(value, list) else [value])):
            self.fail(key, f"expected a finite number, got {value!r}",
                      "write the figure as digits; .nan and .inf are not figures")
        else:
            self.fail(key, f"expected a number, got {show(value)}",
                      "write the figure as digits (220.38, 1000), or [low, high] for a range; "
                      "if the article gives no figure, this is not a fact")
        return None

    def choice(self, key: str, choices: tuple[str, ...] | list[str], default: str | None = None) -> str:
        """Read one of a closed set of words."""
        value = self.raw(key, required=default is None)
        if value is MISSING:
            return default or ""
        if not isinstance(value, str) or value not in choices:
            self.fail(key, f"{show(value)} is not one of: {', '.join(choices)}", did_you_mean(value, choices))
            return default or ""
        return value

    def bool(self, key: str) -> bool:
        """Read true or false."""
        value = self.raw(key)
        if value is MISSING:
            return False
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {show(value)}", "write true or false")
            return False
        return value

    def date(self, key: str) -> Date | None:
        """Read a date with its precision."""
        value = self.raw(key)
        if value is MISSING:
            return None
        date, problem = parse_date(value)
        if problem:
            self.fail(key, problem, "write 2024, 2024-H1, 2024-Q3, 2024-03, 2024-03-15 or 2023-09-end")
        return date

    def period(self, key: str) -> Period | None:
        """Read a date or a start/end span."""
        value = self.raw(key)
        if value is MISSING:
            return None
        text = str(value)
        if "/" in text:
            first, _, last = text.partition("/")
            start, p1 = parse_date(first)
            end, p2 = parse_date(last)
            problem = p1 or p2
            if not problem and start and end and end.sort_key() <= start.sort_key():
                problem = f"span {text!r} ends before it starts"
        else:
            start, problem = parse_date(value)
            end = None
        if problem:
            self.fail(key, problem, "write a date (2024, 2024-H1, 2024-03) or a span start/end (2021/2025)")
            return None
        return Period(start, end) if start else None

    def done(self, known: tuple[str, ...]) -> None:
        """Reject keys that were never read, suggesting the closest known one."""
        if not self.ok:
            return
        for key in self.node:
            if key not in self.used:
                self.fail(str(key), "unknown field", did_you_mean(key, known, f"known fields: {', '.join(known)}"))


def parse_date(value: Any) -> tuple[Date | None, str]:
    """Parse the content date syntax; return the date or a description of the problem."""
    text = str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    match = DATE_RE.match(text or "")
    if not match:
        return None, f"{show(value)} is not a date"
    year = int(match["year"])
    half = int(match["half"] or 0)
    quarter = int(match["quarter"] or 0)
    month = int(match["month"] or 0)
    day = int(match["day"] or 0)
    part = match["part"] or ""
    if match["half"] and half not in (1, 2):
        return None, f"{text!r}: a year has halves H1 and H2"
    if match["quarter"] and not 1 <= quarter <= 4:
        return None, f"{text!r}: a year has quarters Q1 to Q4"
    if match["month"] and not 1 <= month <= 12:
        return None, f"{text!r}: month {month} does not exist"
    if year < datetime.MINYEAR:
        return None, f"{text!r}: there is no year 0"
    if day:
        try:
            datetime.date(year, month, day)
        except ValueError:
            return None, f"{text!r}: {year}-{month:02d} has no day {day}"
    if part and (day or half or quarter):
        return None, f"{text!r}: early/mid/end goes only on a year or a month"
    precision = ("day" if day else "month" if month else "quarter" if quarter else "half" if half else "year")
    return Date(year, month, day, precision, half, quarter, part), ""  # type: ignore[arg-type]


def is_number(value: Any) -> bool:
    """Tell whether a YAML value is a finite number (and not a boolean, NaN or infinity)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def show(value: Any) -> str:
    """Describe a bad value briefly for an error message."""
    if isinstance(value, Node):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def did_you_mean(value: Any, choices, fallback: str = "") -> str:
    """Suggest the closest known word, or fall back to listing them."""
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else fallback or f"choose one of: {', '.join(choices)}"
