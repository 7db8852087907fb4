"""Stage 2: check raw content field by field and turn it into frozen dataclasses.

Every error is collected; nothing stops at the first. References between records
are checked later, in `link.py`, once every record is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from .fields import MISSING, ID_RE, TEXT_HINT, Record, show, did_you_mean, text_problem
from .load import LIST_KEYS, Loaded, RawFile, RawPage, Skipped
from .markup import render_markdown
from .speed import ByIdentity
from .model import (EVENTS, KINDS, LANGS, QUALIFIERS, STATUSES, UNITS, Citation, ContentError, Fact, GlossaryTerm,
                    Html, Indicator, Loc, Milestone, Page, Plan, Project, Scope, Site, SiteInfo, Source, Text, Theme,
                    Waiver)


def validate(loaded: Iterable[Loaded], reads: ByIdentity | None = None) -> Site:
    """Turn loaded content into a `Site` of the records that are valid, carrying every error found in the others.

    Nothing stops at an error: a record with one is left out and its id noted in `Site.invalid`, so that link can
    check everything else and one run reports field, reference and quotation errors together (link raises them).
    Each YAML file's records are read as the file comes and its tree is let go before the next file is parsed.
    Errors are reported in a fixed order whatever the order of the files: files that could not be loaded,
    misplaced top-level keys, site.yaml, then the records key by key (see `READERS`), the pages, duplicate ids.

    `reads`, when given, keeps what each file gave (by the identity of its `RawFile`) for the next call: `serve`
    passes the same one to every rebuild, and a file it has not parsed again is not read again.
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
            # Without `reads` nothing is kept, so that each file's tree is let go once read.
            read = reads.get(item, _read_file) if reads is not None else _read_file(item)
            structure += read.structure
            for key in READERS:
                records[key] += read.records.get(key, ())
                record_errors[key] += read.errors.get(key, ())
            invalid |= read.invalid
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
    if reads is not None:
        reads.done()
    errors = unusable + structure + site_errors + [e for key in READERS for e in record_errors[key]] + page_errors
    _check_unique_ids(site, errors)
    return replace(site, errors=tuple(errors), warnings=tuple(skipped), invalid=frozenset(invalid),
                   complete=not unusable)


@dataclass(frozen=True)
class FileRead:
    """What one YAML file gives: its valid records and its errors by top-level key, its structural errors, and the
    ids of its records that have errors."""

    records: dict[str, list]
    errors: dict[str, list[ContentError]]
    structure: list[ContentError]
    invalid: frozenset[str]


def _read_file(file: RawFile) -> FileRead:
    """Read every valid record of one YAML file, by top-level key; note the errors by key, and the ids of the
    records that have errors."""
    structure: list[ContentError] = []
    records: dict[str, list] = {}
    record_errors: dict[str, list[ContentError]] = {}
    invalid: set[str] = set()
    for key, value in file.data.items():
        if key not in READERS:
            structure.append(ContentError(file.src_path, file.data.line_of(key), str(key), "unknown top-level key",
                                          did_you_mean(key, LIST_KEYS, f"known keys: {', '.join(LIST_KEYS)}")))
        elif value is None:
            continue
        elif not isinstance(value, list):
            structure.append(ContentError(file.src_path, file.data.line_of(key), str(key),
                                          f"expected a list, got {show(value)}", "start each item with '- '"))
        else:
            errors = record_errors.setdefault(key, [])
            found = records.setdefault(key, [])
            for i, item in enumerate(value):
                record = Record(item, file.src_path, f"{key}[{i}]", errors)
                before = len(errors)
                read = READERS[key](record)
                record.done(tuple(sorted(record.used)))
                if len(errors) == before:
                    found.append(read)
                elif record.ok and isinstance(record.node.get("id"), str):
                    invalid.add(record.node["id"])
    return FileRead(records, record_errors, structure, frozenset(invalid))


def _read_site(raw: RawFile | None, errors: list[ContentError]) -> SiteInfo | None:
    """Read `site.yaml`."""
    if raw is None:
        errors.append(ContentError("content/site.yaml", None, "", "missing",
                                   "create site.yaml with title, name, description, publisher, license, "
                                   "license_url and headline_facts"))
        return None
    r = Record(raw.data, raw.src_path, "site", errors)
    ids = r.raw("headline_facts")
    if ids is not MISSING and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        r.fail("headline_facts", f"expected a list of fact ids, got {show(ids)}", "write one '- fact-id' per line")
        ids = []
    title = r.text("title")
    info = SiteInfo(title, r.text("short_title", required=False) or title, r.id("name"), r.text("description"), r.text("publisher"), r.text("license"),
                    r.url("license_url"), tuple(ids) if ids is not MISSING else (), r.loc)  # type: ignore[arg-type]
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
    worded = unit == "rank" and rank is not None and r.raw("value", required=False) is MISSING
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
