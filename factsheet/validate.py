"""Stage 2: check raw content field by field and turn it into frozen dataclasses.

Every error is collected; nothing stops at the first. References between records
are checked later, in `link.py`, once every record is known.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from .load import LIST_KEYS, Loaded, Node, RawFile, RawPage, Skipped
from .markup import render_markdown, url_problem
from .model import (EVENTS, KINDS, LANGS, QUALIFIERS, STATUSES, UNITS, Citation, ContentError,
                    Date, Fact, GlossaryTerm, Html, Indicator, Loc, Milestone, Page,
                    Period, Plan, Project, Scope, Site, SiteInfo, Source, Text, Theme, Waiver)

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(
    r"^(?P<year>\d{4})"
    r"(?:-H(?P<half>\d)|-Q(?P<quarter>\d)|-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r"(?:-(?P<part>early|mid|end))?$")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they reorder how text is shown, so a figure could read other than it is."""
_MISSING = object()


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
            self.fail(None, f"expected a mapping of fields, got {_show(node)}",
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
        """Return the raw value of `key`, or _MISSING (recording an error when required)."""
        self.used.add(key)
        if key in self.node and self.node[key] is not None:
            return self.node[key]
        if required:
            self.fail(key, "missing", f"add '{key}:' to this item")
        return _MISSING

    def str(self, key: str, required: bool = True, default: str = "") -> str:
        """Read a non-empty string."""
        value = self.raw(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"expected text, got {_show(value)}", "write the text after the colon")
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
        if value is _MISSING:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and ID_RE.match(v) for v in value):
            self.fail(key, f"expected a list of ids, got {_show(value)}", "write [id-one, id-two]")
            return ()
        return tuple(value)

    def text(self, key: str, required: bool = True) -> Text | None:
        """Read a bilingual `{zh: …, en: …}` text."""
        value = self.raw(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, Node):
            self.fail(key, f"expected {{zh: …, en: …}}, got {_show(value)}",
                      "give the text in both languages: {zh: 中文, en: English}")
            return None
        parts = {}
        for lang in LANGS:
            part = value.get(lang)
            if isinstance(part, (int, float)) and not isinstance(part, bool):
                part = str(part)
            if not isinstance(part, str) or not part.strip():
                missing = "missing" if part is None else f"expected text, got {_show(part)}"
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
        if value is _MISSING:
            return ()
        if not isinstance(value, list):
            self.fail(key, f"expected a list, got {_show(value)}", "write one '- {zh: …, en: …}' per line")
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
        if value is _MISSING:
            return None
        if isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value):
            if value[0] >= value[1]:
                self.fail(key, f"range {value} is not increasing", "write [low, high]")
                return None
            return (value[0], value[1])
        if _is_number(value):
            return value
        if isinstance(value, list) and all(_is_number(v) for v in value):
            self.fail(key, f"a range has two numbers, got {len(value)}", "write [low, high]")
        elif any(isinstance(v, float) and not math.isfinite(v) for v in (value if isinstance(value, list) else [value])):
            self.fail(key, f"expected a finite number, got {value!r}",
                      "write the figure as digits; .nan and .inf are not figures")
        else:
            self.fail(key, f"expected a number, got {_show(value)}",
                      "write the figure as digits (220.38, 1000), or [low, high] for a range; "
                      "if the article gives no figure, this is not a fact")
        return None

    def choice(self, key: str, choices: tuple[str, ...] | list[str], default: str | None = None) -> str:
        """Read one of a closed set of words."""
        value = self.raw(key, required=default is None)
        if value is _MISSING:
            return default or ""
        if not isinstance(value, str) or value not in choices:
            self.fail(key, f"{_show(value)} is not one of: {', '.join(choices)}", did_you_mean(value, choices))
            return default or ""
        return value

    def bool(self, key: str) -> bool:
        """Read true or false."""
        value = self.raw(key)
        if value is _MISSING:
            return False
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_show(value)}", "write true or false")
            return False
        return value

    def date(self, key: str) -> Date | None:
        """Read a date with its precision."""
        value = self.raw(key)
        if value is _MISSING:
            return None
        date, problem = parse_date(value)
        if problem:
            self.fail(key, problem, "write 2024, 2024-H1, 2024-Q3, 2024-03, 2024-03-15 or 2023-09-end")
        return date

    def period(self, key: str) -> Period | None:
        """Read a date or a start/end span."""
        value = self.raw(key)
        if value is _MISSING:
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
        return None, f"{_show(value)} is not a date"
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


def validate(loaded: Iterable[Loaded]) -> Site:
    """Turn loaded content into a `Site` of the records that are valid, carrying every error found in the others.

    Nothing stops at an error: a record with one is left out and its id noted in `Site.invalid`, so that link can
    check everything else and one run reports field, reference and quotation errors together (link raises them).
    Each YAML file's records are read as the file comes and its tree is let go before the next file is parsed.
    Errors are reported in a fixed order whatever the order of the files: files that could not be loaded,
    misplaced top-level keys, site.yaml, then the records key by key (see `READERS`), the pages, duplicate ids.
    """
    skipped: list[ContentError] = []
    invalid: set[str] = set()
    unusable: list[ContentError] = []
    structure: list[ContentError] = []
    records: dict[str, list] = {key: [] for key in READERS}
    record_errors: dict[str, list[ContentError]] = {key: [] for key in READERS}
    site_file: RawFile | None = None
    pages: list[RawPage] = []
    for item in loaded:
        if isinstance(item, Skipped):
            skipped.append(item.warning)
        elif isinstance(item, ContentError):
            unusable.append(item)
        elif isinstance(item, RawPage):
            pages.append(item)
        elif item.is_site:
            site_file = item
        else:
            _read_file(item, structure, records, record_errors, invalid)
    site_errors: list[ContentError] = []
    info = _read_site(site_file, site_errors)
    if site_errors:
        info = None
    page_errors: list[ContentError] = []
    site = Site(
        info=info,  # type: ignore[arg-type]
        sources=tuple(records["sources"]), themes=tuple(records["themes"]), scopes=tuple(records["scopes"]),
        indicators=tuple(records["indicators"]), facts=tuple(records["facts"]),
        projects=tuple(records["projects"]), milestones=tuple(records["milestones"]), plans=tuple(records["plans"]),
        glossary=tuple(records["terms"]), pages=_read_pages(tuple(pages), page_errors),
        waivers=tuple(records["uncited"]),
    )
    errors = unusable + structure + site_errors + [e for key in READERS for e in record_errors[key]] + page_errors
    _check_unique_ids(site, errors)
    return replace(site, errors=tuple(errors), warnings=tuple(skipped), invalid=frozenset(invalid),
                   complete=not unusable)


def _read_file(file: RawFile, structure: list[ContentError], records: dict[str, list],
               record_errors: dict[str, list[ContentError]], invalid: set[str]) -> None:
    """Read every valid record of one YAML file into `records`, by top-level key; note the errors by key, and the
    ids of the records that have errors in `invalid`."""
    for key, value in file.data.items():
        if key not in READERS:
            structure.append(ContentError(file.src_path, file.data.line_of(key), str(key), "unknown top-level key",
                                          did_you_mean(key, LIST_KEYS, f"known keys: {', '.join(LIST_KEYS)}")))
        elif value is None:
            continue
        elif not isinstance(value, list):
            structure.append(ContentError(file.src_path, file.data.line_of(key), str(key),
                                          f"expected a list, got {_show(value)}", "start each item with '- '"))
        else:
            for i, item in enumerate(value):
                record = Record(item, file.src_path, f"{key}[{i}]", record_errors[key])
                before = len(record_errors[key])
                read = READERS[key](record)
                record.done(tuple(sorted(record.used)))
                if len(record_errors[key]) == before:
                    records[key].append(read)
                elif record.ok and isinstance(record.node.get("id"), str):
                    invalid.add(record.node["id"])


def _read_site(raw: RawFile | None, errors: list[ContentError]) -> SiteInfo | None:
    """Read `site.yaml`."""
    if raw is None:
        errors.append(ContentError("content/site.yaml", None, "", "missing",
                                   "create site.yaml with title, name, description, publisher, license, "
                                   "license_url and headline_facts"))
        return None
    r = Record(raw.data, raw.src_path, "site", errors)
    ids = r.raw("headline_facts")
    if ids is not _MISSING and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        r.fail("headline_facts", f"expected a list of fact ids, got {_show(ids)}", "write one '- fact-id' per line")
        ids = []
    title = r.text("title")
    info = SiteInfo(title, r.text("short_title", required=False) or title, r.id("name"), r.text("description"), r.text("publisher"), r.text("license"),
                    r.url("license_url"), tuple(ids) if ids is not _MISSING else (), r.loc)  # type: ignore[arg-type]
    r.done(tuple(sorted(r.used)))
    return info


def _read_source(r: Record) -> Source:
    """Read one source record."""
    sha = r.str("sha256")
    if sha and not re.fullmatch(r"[0-9a-f]{64}", sha):
        r.fail("sha256", "expected 64 lower-case hex digits", "run: sha256sum FILE")
    kicker = r.text("kicker", required=False)
    return Source(r.id(), r.text("headline"), r.text("short"), kicker, r.text("outlet"), r.text("byline"), r.date("date"),
                  r.text("date_basis"), r.str("file"), sha, r.text("summary"), r.texts("topics"), r.loc)


def _read_citation(r: Record) -> Citation:
    """Read the flattened citation fields of a fact or milestone."""
    return Citation(r.id("source"), r.str("quote"), r.str("quote_en"))


def _read_fact(r: Record) -> Fact:
    """Read one fact."""
    unit = r.choice("unit", tuple(UNITS))
    rank = r.text("rank", False)
    worded = unit == "rank" and rank is not None and r.raw("value", required=False) is _MISSING
    return Fact(
        id=r.id(), theme=r.id("theme"), subject=r.text("subject"), value=None if worded else r.number("value"),
        unit=unit, qualifier=r.choice("qualifier", QUALIFIERS, "exact"),
        period=r.period("period"), kind=r.choice("kind", KINDS), scope=r.str("scope", False, "district"),
        citation=_read_citation(r), counter=r.str("counter", False), rank=rank,
        indicator=r.str("indicator", False) or None, note=r.text("note", False), loc=r.loc)  # type: ignore[arg-type]


def _read_milestone(r: Record) -> Milestone:
    """Read one milestone."""
    same_as = r.str("same_as", required=False) or None
    if same_as and not ID_RE.match(same_as):
        r.fail("same_as", f"{same_as!r} is not a valid id", "give the id of another article's milestone")
    return Milestone(r.id(), r.id("project"), r.choice("event", EVENTS), r.text("label"), r.date("date"),
                     r.bool("done"), _read_citation(r), r.text("note", False), same_as, r.loc)  # type: ignore[arg-type]


def _read_plan(r: Record) -> Plan:
    """Read one plan-vs-outcome pair."""
    return Plan(r.id(), r.id("target"), r.str("outcome", False) or None, r.choice("status", STATUSES),
                r.text("note", False), r.loc)


def _read_waiver(r: Record) -> Waiver:
    """Read one waiver of `content/uncited.yaml`: a passage whose numbers are not facts, and why."""
    return Waiver(r.id("source"), r.str("quote"), r.str("reason"), r.loc)


READERS: dict[str, Callable[[Record], Any]] = {
    "sources": _read_source,
    "themes": lambda r: Theme(r.id(), r.text("title"), r.text("intro"), r.ids("lead"), r.loc),
    "scopes": lambda r: Scope(r.id(), r.text("name"), r.loc),
    "indicators": lambda r: Indicator(r.id(), r.id("theme"), r.text("name"), r.choice("unit", tuple(UNITS)),
                                      r.text("note", False), r.loc),
    "facts": _read_fact,
    "projects": lambda r: Project(r.id(), r.text("name"), r.id("theme"), r.text("description", False), r.loc),
    "milestones": _read_milestone,
    "plans": _read_plan,
    "terms": lambda r: GlossaryTerm(r.str("zh"), r.str("en"), r.text("note", False), r.loc),
    "uncited": _read_waiver,
}
"""How to read a record under each top-level key, in the order their errors are reported."""


def _read_pages(raw_pages: tuple[RawPage, ...], errors: list[ContentError]) -> tuple[Page, ...]:
    """Convert Markdown pages to cleaned HTML, pairing each language with the other; report what cleaning changes."""
    by_slug: dict[str, dict[str, tuple[str, str, str]]] = {}
    for page in raw_pages:
        lines = page.text.splitlines()
        if not lines or not lines[0].startswith("# ") or not lines[0][2:].strip():
            errors.append(ContentError(page.src_path, 1, "title", "the first line must be the title",
                                       "start the page with '# Title'"))
            continue
        bad = False
        for number, line in enumerate(lines, 1):
            if problem := text_problem(line, newlines=True):
                errors.append(ContentError(page.src_path, number, "body", problem, TEXT_HINT))
                bad = True
        html, changes = render_markdown("\n".join(lines[1:])) if not bad else ("", [])
        for line, problem in changes:
            errors.append(ContentError(page.src_path, line + 1 if line else None, "body", problem,
                                       "write the text in Markdown: links to relative paths, https: or mailto:, "
                                       "images from the site itself, no raw HTML"))
        # A rejected page is still registered, so its counterpart is not reported as lonely.
        by_slug.setdefault(page.slug, {})[page.lang] = (lines[0][2:].strip(), html, page.src_path)
    pages = []
    for slug, langs in sorted(by_slug.items()):
        missing = [lang for lang in LANGS if lang not in langs]
        if missing:
            present = next(iter(langs.values()))[2]
            errors.append(ContentError(present, None, "", f"no {missing[0]} version of this page",
                                       f"add pages/{slug}.{missing[0]}.md; pages are never shown in the other language"))
            continue
        pages.append(Page(slug, Text(langs["zh"][0], langs["en"][0]), Html(langs["zh"][1], langs["en"][1]),
                          Loc(langs["zh"][2], 1)))
    return tuple(pages)


def _check_unique_ids(site: Site, errors: list[ContentError]) -> None:
    """Report ids used twice within a kind (facts and milestones share one namespace, as anchors)."""
    groups = {
        "sources": site.sources, "themes": site.themes, "indicators": site.indicators,
        "facts and milestones": site.facts + site.milestones, "plans": site.plans,
        "projects and scopes": site.projects + site.scopes,
    }
    for kind, items in groups.items():
        first: dict[str, Loc] = {}
        for item in items:
            if item.id in first:
                where = first[item.id]
                errors.append(ContentError(item.loc.path, item.loc.line, "id", f"duplicate id {item.id!r} in {kind}",
                                           f"first used at {where.path}:{where.line}; give one of them another id"))
            else:
                first.setdefault(item.id, item.loc)
    terms: dict[str, Loc] = {}
    for term in site.glossary:
        if term.zh in terms:
            where = terms[term.zh]
            errors.append(ContentError(term.loc.path, term.loc.line, "zh", f"duplicate glossary term {term.zh!r}",
                                       f"first at {where.path}:{where.line}; keep one rendering per term"))
        terms.setdefault(term.zh, term.loc)


def _is_number(value: Any) -> bool:
    """Tell whether a YAML value is a finite number (and not a boolean, NaN or infinity)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _show(value: Any) -> str:
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
