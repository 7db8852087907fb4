"""Stage 3: resolve references, verify quotations against the article texts (quotes.py), derive tables.

Everything the pages need is computed here, before anything is rendered or written.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from .quotes import normalize, verify
from .speed import ByMembers, reuse
from .model import (LANGS, ContentError, ContentErrors, Fact, Linked, Milestone, Passage, PlanRow, Row, Site,
                    Source, Text)
from .fields import did_you_mean


def link(site: Site, source_texts: dict[str, bytes | ContentError] | None = None,
         memo: dict | None = None) -> Linked:
    """Resolve and verify `site`; `source_texts` maps file names to bytes (or why a file cannot be read) when the
    articles are given. Raise validation's errors and every error found here together.

    `memo`, when given, keeps findings for the next call (`serve` passes one dict to every rebuild; validation gives
    an unchanged file's records again as the same objects): a record's quotation, glossary, reference and period
    checks, each source's passages and each indicator's row are made again only where a record they come from is
    not the very one of the last call (or the articles, glossary or sources changed). At 500 sources that took link
    under `serve` from 1.1 s to 0.6 s (profiled)."""
    errors: list[ContentError] = list(site.errors)
    warnings: list[ContentError] = list(site.warnings)
    sources = {s.id: s for s in site.sources}
    themes = {t.id: t for t in site.themes}
    facts = {f.id: f for f in site.facts}
    milestones = {m.id: m for m in site.milestones}
    projects = {p.id: p for p in site.projects}
    indicators = {i.id: i for i in site.indicators}
    # `district`, the default scope, is known without being declared.
    scopes = {"district": Text("全区", "District")} | {s.id: s.name for s in site.scopes} | {
        p.id: p.name for p in site.projects}

    def check(item, field: str, value: str | None, known: dict, kind: str, hint: str) -> None:
        if value and value not in known and value not in site.invalid and site.complete:
            errors.append(ContentError(item.loc.path, item.loc.line, f"{item.id}.{field}",
                                       f"unknown {kind} {value!r}", did_you_mean(value, list(known), hint)))

    for fact in site.facts:
        check(fact, "theme", fact.theme, themes, "theme", "theme ids are in content/themes.yaml")
        check(fact, "scope", fact.scope, scopes, "scope", "add it to content/scopes.yaml or content/projects.yaml")
        check(fact, "source", fact.citation.source, sources, "source", "source ids are in content/sources.yaml")
        check(fact, "indicator", fact.indicator, indicators, "indicator", "declare it in content/indicators.yaml")
        ind = indicators.get(fact.indicator or "")
        if ind and ind.unit != fact.unit:
            errors.append(ContentError(fact.loc.path, fact.loc.line, f"{fact.id}.unit",
                                       f"unit {fact.unit!r} differs from indicator {ind.id!r} ({ind.unit!r})",
                                       "a series has one unit; convert the value or use another indicator"))
    for ms in site.milestones:
        check(ms, "project", ms.project, projects, "project", "declare it in content/projects.yaml")
        check(ms, "source", ms.citation.source, sources, "source", "source ids are in content/sources.yaml")
        check(ms, "same_as", ms.same_as, milestones, "milestone", "give the id of another article's milestone")
        other = milestones.get(ms.same_as or "")
        if other and (other.project != ms.project or other.citation.source == ms.citation.source):
            errors.append(ContentError(ms.loc.path, ms.loc.line, f"{ms.id}.same_as",
                                       f"{other.id!r} is not the same step reported by another article",
                                       "same_as links milestones of one project from two different articles"))
    for item in (*site.indicators, *site.projects):
        check(item, "theme", item.theme, themes, "theme", "theme ids are in content/themes.yaml")
    for theme in site.themes:
        for ind_id in theme.lead:
            check(theme, "lead", ind_id, indicators, "indicator", "list indicator ids of content/indicators.yaml")
            if ind_id in indicators and indicators[ind_id].theme != theme.id:
                errors.append(ContentError(theme.loc.path, theme.loc.line, f"{theme.id}.lead",
                                           f"indicator {ind_id!r} belongs to theme {indicators[ind_id].theme!r}",
                                           "a theme's page opens with its own indicators"))
    for fid in site.info.headline_facts if site.info else ():
        if fid not in facts and fid not in site.invalid and site.complete:
            errors.append(ContentError(site.info.loc.path, site.info.loc.line, "site.headline_facts",
                                       f"unknown fact {fid!r}", "list ids of facts in content/facts/"))
    plans = _link_plans(site, facts, sources, errors)
    _check_references(site, {*facts, *milestones, *sources}, {f.indicator for f in site.facts if f.indicator}, errors,
                      memo)
    periods = reuse(memo, "periods", tuple(map(id, site.sources)), site.sources)
    for fact in site.facts:
        errors += periods.get(fact, lambda fact: _reported_period(fact, sources.get(fact.citation.source)))
    periods.done()

    cited = {f.citation.source for f in site.facts} | {m.citation.source for m in site.milestones}
    for source in site.sources if site.complete and not site.invalid else ():  # a left-out fact may cite it
        if source.id not in cited:
            errors.append(ContentError(source.loc.path, source.loc.line, source.id, "no fact or milestone cites this source",
                                       "every source must support at least one figure; add its facts"))

    cited_items: list[Fact | Milestone] = [*site.facts, *site.milestones]
    positions: dict[tuple[str, str], int] = {}
    if source_texts is not None:
        positions = verify(site, sources, cited_items, source_texts, errors, memo)
    warnings.extend(_check_glossary(site, memo))
    if errors:
        raise ContentErrors(errors)
    assert site.info is not None  # site.yaml's errors are among `errors`

    passages, passage_of = _passages(cited_items, positions, memo, source_texts)
    rows = _rows(site, indicators, sources, memo)
    return Linked(
        site=site, sources=sources, themes=themes, facts=facts, milestones=milestones, projects=projects,
        scopes=scopes, rows=rows, series={r.id: r for theme_rows in rows.values() for r in theme_rows if r.is_series},
        fact_home={f.id: row.theme for theme_rows in rows.values() for row in theme_rows
                                             for f in row.facts},
        project_milestones=_timelines(site, sources),
        passages=passages, passage_of=passage_of, plans=plans,
        newest_year=max(((f.period.end or f.period.start).year for f in site.facts if f.kind == "result"), default=None),
        verified=source_texts is not None,
        warnings=tuple(warnings))


def _passages(items, positions, memo: dict | None = None, texts: object = None
              ) -> tuple[dict[str, tuple[Passage, ...]], dict[str, Passage]]:
    """Group citations by quoted passage, ordered as in the article. With `memo` (see `link`), a source whose citing
    records are the very ones of the last call, checked against the same texts, keeps its passages."""
    citing: dict[str, list] = defaultdict(list)
    for item in items:
        citing[item.citation.source].append(item)
    kept = reuse(memo, "passages", id(texts), texts, ByMembers)
    ordered: dict[str, tuple[Passage, ...]] = {}
    passage_of: dict[str, Passage] = {}
    for source, cited in citing.items():
        ordered[source] = kept.get(source, tuple(cited), lambda cited: _source_passages(source, cited, positions))
        for passage in ordered[source]:
            passage_of.update(dict.fromkeys(passage.citing, passage))
    kept.done()
    return ordered, passage_of


def _source_passages(source: str, items, positions) -> tuple[Passage, ...]:
    """The passages of one source's citing records, ordered by position in the article, then as first cited."""
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[normalize(item.citation.quote)].append(item)
    passages = []
    for quote, group in groups.items():
        digest = hashlib.sha1(f"{source}\n{quote}".encode()).hexdigest()[:8]
        passages.append(Passage(f"q-{digest}", source, group[0].citation.quote, group[0].citation.quote_en,
                                positions.get((source, quote), -1), tuple(item.id for item in group)))
    return tuple(sorted(passages, key=lambda passage: passage.position))  # stable: first cited first among equals


def _rows(site: Site, indicators, sources, memo: dict | None = None) -> dict[str, tuple[Row, ...]]:
    """Build each theme's table rows: one per indicator (a series) and one per lone fact. With `memo`, an
    indicator whose record and observations are the very ones of the last call, with the same sources, keeps its row."""
    rows: dict[str, list[Row]] = defaultdict(list)
    series: dict[str, list[Fact]] = defaultdict(list)
    for fact in site.facts:
        if fact.indicator:
            series[fact.indicator].append(fact)
    kept = reuse(memo, "rows", tuple(map(id, site.sources)), site.sources, ByMembers)

    def series_row(members: tuple) -> Row:
        ind, obs = members[0], sorted(members[1:], key=lambda f: (f.period.sort_key(),
                                                                 sources[f.citation.source].date.sort_key()))
        return Row(ind.id, ind.theme, ind.name, ind.unit, tuple(obs), ind, _conflicts(obs))

    placed: set[str] = set()
    for fact in site.facts:
        if fact.indicator:
            if fact.indicator in placed:
                continue
            placed.add(fact.indicator)
            ind = indicators[fact.indicator]
            rows[ind.theme].append(kept.get(ind.id, (ind, *series[ind.id]), series_row))
        else:
            rows[fact.theme].append(Row(fact.id, fact.theme, fact.subject, fact.unit, (fact,), None, ()))
    kept.done()
    return {theme.id: tuple(rows.get(theme.id, ())) for theme in site.themes}


def _conflicts(facts: list[Fact]) -> tuple[str, ...]:
    """Return ids of facts that disagree with another fact for the same period, kind and scope."""
    seen: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts:
        seen[(fact.period, fact.kind, fact.scope)].append(fact)
    out: list[str] = []
    for group in seen.values():
        if len({(f.value, f.qualifier) for f in group}) > 1:
            out.extend(f.id for f in group)
    return tuple(out)


def _timelines(site: Site, sources) -> dict[str, tuple[Milestone, ...]]:
    """Order each project's milestones by date as a reader reads it (`Date.reading_key`), then by the citing source's date."""
    by_project: dict[str, list[Milestone]] = defaultdict(list)
    for ms in site.milestones:
        by_project[ms.project].append(ms)
    return {p.id: tuple(sorted(by_project.get(p.id, ()),
                               key=lambda m: (m.date.reading_key(), sources[m.citation.source].date.sort_key())))
            for p in site.projects}


REFERENCE_RE = re.compile(r"\[\[([^\]]*)\]\]")
ID_MENTION_RE = re.compile(r"(?<![A-Za-z0-9_/-])20\d\d-\d\d(?:-[a-z][a-z0-9-]*)?(?![A-Za-z0-9_-])")
"""An id written into reader-facing text as it is (`2024-03`, `2024-03-gdp-growth`), not as a `[[reference]]`."""


def _check_references(site: Site, items: set[str], series: set[str], errors: list[ContentError],
                      memo: dict | None = None) -> None:
    """Report a `[[reference]]` in a note to no known item, and an id written into a note without the brackets
    (readers would see the id): the id of a fact, milestone or article, or anything shaped like one (`2024-03`).
    With `memo` (see `link`), a record checked by the last call against the same ids is not checked again."""
    known = items | series
    checked = reuse(memo, "references", (known, site.complete))
    hyphenated = {i for i in items if "-" in i}  # series ids and one-word ids are words a note may well use as such
    for item in (*site.facts, *site.milestones, *site.indicators, *site.projects, *site.plans, *site.glossary):
        errors += checked.get(item, lambda item: _item_references(item, known, hyphenated, site.complete))
    checked.done()


def _item_references(item, known: set[str], hyphenated: set[str], complete: bool) -> list[ContentError]:
    """Check the references and bare ids in one record's note and description."""
    errors = []
    for name in ("note", "description"):
        text = getattr(item, name, None)
        if not isinstance(text, Text):
            continue
        for lang in LANGS:
            value = text.get(lang)
            where = f"{getattr(item, 'id', getattr(item, 'zh', ''))}.{name}.{lang}"
            for ref in REFERENCE_RE.findall(value):
                if ref not in known and complete:
                    errors.append(ContentError(item.loc.path, item.loc.line, where, f"[[{ref}]] refers to nothing",
                                               did_you_mean(ref, known, "use the id of a fact, milestone, series or "
                                                                        "article")))
            bare = _bare_id(REFERENCE_RE.sub("", value), hyphenated)
            if bare:
                errors.append(ContentError(item.loc.path, item.loc.line, where,
                                           f"{bare!r} is an id, which readers would see as it is",
                                           f"write [[{bare}]] to link it by name, or name the article in words"))
    return errors


HYPHENATED_RE = re.compile(r"(?<![A-Za-z0-9_/-])[a-z0-9]+(?:-[a-z0-9]+)+(?![A-Za-z0-9_-])")


def _bare_id(text: str, ids: set[str]) -> str | None:
    """Return the first id written bare in `text`: one of `ids`, or anything shaped like an article's (`2024-03`)."""
    shaped = ID_MENTION_RE.search(text)
    found = [m for m in HYPHENATED_RE.finditer(text) if m[0] in ids]
    first = min([*found, *([shaped] if shaped else [])], key=lambda m: m.start(), default=None)
    return first[0] if first else None


def _reported_period(fact: Fact, source: Source | None) -> list[ContentError]:
    """Report a figure its article could not have known: a result for a period that had not ended when the article
    appeared, or a total standing at a date after it."""
    errors: list[ContentError] = []
    if source is None or fact.kind == "target":
        return errors
    published = source.date.span()[1]  # the latest the article may have appeared
    end = (fact.period.end or fact.period.start).span()
    if fact.kind == "result" and end[1] > published:
        errors.append(ContentError(fact.loc.path, fact.loc.line, f"{fact.id}.period",
                                   f"a result for {fact.period.iso()} cannot be reported by an article of "
                                   f"{source.date.iso()}: the period had not ended",
                                   "a figure for part of the period so far is as_of (e.g. period 2024-early); "
                                   "a goal is a target"))
    elif fact.kind == "as_of" and end[0] > published:
        errors.append(ContentError(fact.loc.path, fact.loc.line, f"{fact.id}.period",
                                   f"a total as of {fact.period.iso()} lies after its article ({source.date.iso()})",
                                   "an as_of figure stands at a date the article has reached; a goal is a target"))
    return errors


def _link_plans(site: Site, facts: dict[str, Fact], sources: dict[str, Source], errors) -> tuple[PlanRow, ...]:
    """Resolve each plan's target and outcome, check that they measure the same thing later, compute the difference."""
    rows = []
    for plan in site.plans:
        target, outcome = facts.get(plan.target), facts.get(plan.outcome or "")
        for field, fid, fact in (("target", plan.target, target), ("outcome", plan.outcome, outcome)):
            if fid and fact is None and fid not in site.invalid and site.complete:
                errors.append(ContentError(plan.loc.path, plan.loc.line, f"{plan.id}.{field}", f"unknown fact {fid!r}",
                                           "use the id of a fact in content/facts/"))
        if target and target.kind != "target":
            errors.append(ContentError(plan.loc.path, plan.loc.line, f"{plan.id}.target",
                                       f"fact {target.id!r} is a {target.kind}, not a target",
                                       "pair a target (kind: target) with its later result"))
        if outcome and outcome.kind == "target":
            errors.append(ContentError(plan.loc.path, plan.loc.line, f"{plan.id}.outcome",
                                       f"fact {outcome.id!r} is a target, not a result",
                                       "the outcome must be a result or an as-of total"))
        if (plan.outcome is None) != (plan.status == "no_report"):
            problem = (f"status {plan.status!r} needs an outcome, but outcome is null" if plan.outcome is None
                       else f"status 'no_report', but outcome is {plan.outcome!r}")
            errors.append(ContentError(plan.loc.path, plan.loc.line, f"{plan.id}.status", problem,
                                       "use no_report exactly when outcome is null"))
        if target and outcome:
            _check_comparable(plan, target, outcome, sources, errors)
        if target is None or (plan.outcome and outcome is None):
            continue
        diff = None
        if (outcome and outcome.unit == target.unit and target.unit not in ("rank", "top")
                and plan.status != "not_comparable"
                and isinstance(outcome.value, (int, float)) and isinstance(target.value, (int, float))):
            diff = round(outcome.value - target.value, 6)
        rows.append(PlanRow(plan, target, outcome, diff))
    return tuple(rows)


def _check_comparable(plan, target: Fact, outcome: Fact, sources: dict[str, Source], errors) -> None:
    """Report a plan whose outcome measures something else than its target, or comes from no later article."""
    where = (plan.loc.path, plan.loc.line, f"{plan.id}.outcome")
    differ = [f"{name} {a or '(none)'!r} vs {b or '(none)'!r}" for name, a, b in (
        ("indicator", target.indicator, outcome.indicator), ("scope", target.scope, outcome.scope),
        ("unit", target.unit, outcome.unit)) if a != b]
    if differ and plan.status != "not_comparable":
        errors.append(ContentError(*where, f"target and outcome measure different things ({'; '.join(differ)}), "
                                            f"yet the status is {plan.status!r}",
                                   "pair facts of the same indicator, scope and unit, or say status: not_comparable"))
    if not differ and plan.status == "not_comparable":
        errors.append(ContentError(plan.loc.path, plan.loc.line, f"{plan.id}.status",
                                   "status 'not_comparable', but target and outcome have the same indicator, "
                                   "scope and unit", "say whether the target was met, missed or partly met"))
    t_source, o_source = sources.get(target.citation.source), sources.get(outcome.citation.source)
    if t_source and o_source and not o_source.date.sort_key() > t_source.date.sort_key():
        errors.append(ContentError(*where, f"the outcome comes from {o_source.id}, which is not later than the "
                                            f"target's article {t_source.id}",
                                   "an outcome is reported by a later article than the one that set the target"))


def _check_glossary(site: Site, memo: dict | None = None) -> list[ContentError]:
    """Warn where a bilingual text uses a glossary term in Chinese but not its English rendering. With `memo`, reuse
    the findings of a record checked by the last call against the same glossary (same objects: see `link`)."""
    checked = reuse(memo, "glossary", tuple(map(id, site.glossary)), site.glossary)
    warnings = []
    terms = sorted(site.glossary, key=lambda t: -len(t.zh))

    def texts_of(item) -> list[tuple[str, Text]]:
        pairs = []
        for name in ("subject", "name", "label", "title", "note", "rank", "description", "headline", "summary"):
            value = getattr(item, name, None)
            if isinstance(value, Text):
                pairs.append((name, value))
        cit = getattr(item, "citation", None)
        if cit:
            pairs.append(("quote_en", Text(cit.quote, cit.quote_en)))
        return pairs

    def simplify(text: str) -> str:
        # Case, quotes, hyphens and a plural -s do not make a different rendering.
        return re.sub(r"s\b", "", re.sub(r"[\"'“”‘’()\s-]+", " ", text.lower()))

    def variants(english: str) -> list[str]:
        # "virtual reality (VR)" may be written in full, as "virtual reality", or as "VR".
        full, _, abbr = english.partition("(")
        forms = (english, full, abbr.rstrip(")"))
        return [re.compile(rf"(?<!\w){re.escape(simplify(v).strip())}(?!\w)") for v in forms if v.strip()]

    accepted = {term.zh: variants(term.en) for term in terms}
    # Index the terms by first character: a text is searched only for terms whose first character it has,
    # so the check stays linear in the amount of text however long the glossary grows.
    by_first: dict[str, list[int]] = defaultdict(list)
    for i, term in enumerate(terms):
        by_first[term.zh[:1]].append(i)

    def check(item) -> list[ContentError]:
        found_here = []
        for field, text in texts_of(item):
            found = [terms[i] for i in sorted(i for ch in set(text.zh) for i in by_first.get(ch, ()))
                     if terms[i].zh in text.zh]
            english = simplify(text.en) if found else ""
            for term in found:
                if not any(v.search(english) for v in accepted[term.zh]):
                    found_here.append(ContentError(
                        item.loc.path, item.loc.line, f"{item.id}.{field}",
                        f"glossary term {term.zh} is not rendered as {term.en!r}",
                        f"use the glossary rendering in the English text, or reword: {text.en[:60]!r}"))
        return found_here

    for item in (*site.facts, *site.milestones, *site.indicators, *site.projects, *site.themes, *site.sources):
        warnings += checked.get(item, check)
    checked.done()
    return warnings
