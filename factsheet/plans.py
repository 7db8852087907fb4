"""The timelines and plans pages' builders: each project's steps (and another article's date for one), each target
once with its outcome, status and difference, and where two articles disagree (the sources page lists them)."""

from __future__ import annotations

from .contexts import (Account, Disagreement, PlanGroup, PlanLine, PlansPage, PlanTheme, ProjectTimeline,
                       Restatement, Step, TimelinesPage, YearSteps)
from .parts import Figure
from .format import format_amount, format_date, format_number, format_period
from .model import Fact, Linked
from .urls import fact_anchor, milestone_anchor, plan_anchor
from .views import View
from .citations import Citations, page_citations


def build_timelines(view: View, citations: Citations | None = None) -> TimelinesPage:
    """Build the timelines: one per project, then every milestone by year."""
    cites, own = page_citations(view, citations)
    linked, lang = view.linked, view.lang
    projects, all_steps = [], []
    for project in linked.site.projects:
        milestones = linked.project_milestones[project.id]
        steps = []
        for ms in milestones:
            same_step = _same_step(linked, ms)
            others = tuple(_account(view, o.id, format_date(o.date, lang), o.citation.source)
                           for o in same_step if o.date != ms.date)
            same = tuple(Account(view.sources[o.citation.source].short, view.urls.item(o.id))
                         for o in same_step if o.date == ms.date)
            anchor = milestone_anchor(ms.id)
            step = Step(ms.id, anchor, project.name.get(lang), format_date(ms.date, lang), ms.label.get(lang),
                        view.label("done" if ms.done else "planned"), ms.done, cites.cite(ms.id, anchor), others, same,
                        view.rich(ms.note))
            steps.append(step)
            all_steps.append((ms, step))
        projects.append(ProjectTimeline(project.id, project.name.get(lang), view.rich(project.description),
                                        tuple(steps)))
    years: dict[int, list[Step]] = {}
    for ms, step in sorted(all_steps, key=lambda pair: (pair[0].date.reading_key(), pair[1].note_number)):
        years.setdefault(ms.date.year, []).append(step)
    return TimelinesPage(view.common(view.urls.page("timelines"), view.gettext("Project timelines")),
                         tuple(projects), tuple(YearSteps(y, tuple(s)) for y, s in sorted(years.items())),
                         cites.notes() if own else ())


STATUS_ORDER = ("met", "partly", "probably_missed", "missed", "not_comparable", "no_report")
"""The order of the plans page's sections."""


def _same_target(row) -> tuple:
    """Return what makes two plans one target stated by two articles: the measure, period, value and outcome."""
    t = row.target
    return (t.indicator or t.subject.en, t.scope, t.period, t.value, t.qualifier, t.unit,
            row.outcome.id if row.outcome else None, row.plan.status)


def targets(linked: Linked) -> list[list]:
    """Return the plans grouped by target: each group is one target (however many articles state it), its first
    statement first. The plans page shows one line per group; the overview and indicator pages count and list
    groups too, so that they agree with it."""
    merged: dict[tuple, list] = {}
    for row in linked.plans:
        merged.setdefault(_same_target(row), []).append(row)
    return list(merged.values())


def build_plans(view: View, citations: Citations | None = None) -> PlansPage:
    """Build the plans page: a summary by status, then each target once (however many articles state it) with its
    outcome, status and difference, by status and theme. In the print edition (shared `citations`) the cells are
    anchored by plan (`plan-<id>-t`), as the same facts appear in its theme sections."""
    cites, own = page_citations(view, citations)
    seen: set[str] = set()

    def cite(fact: Fact, plan_id: str, side: str) -> tuple[Figure, str]:
        if not own:
            anchor = f"{plan_anchor(plan_id)}-{side}"
        else:  # a fact may be the target of two plans; its anchor stays unique on the page
            anchor = fact_anchor(fact.id)
            if anchor in seen:
                anchor = f"{anchor}-{len(cites.first) + 1}"
        seen.add(anchor)
        return view.figure(fact, cites.cite(fact.id, anchor), anchor=anchor), anchor

    # Laid out first (status, then theme in the site's order), then cited in that order: notes number as read.
    theme_order = {t.id: i for i, t in enumerate(view.linked.site.themes)}
    layout: dict[str, dict[str, list[list]]] = {status: {} for status in STATUS_ORDER}
    for rows in sorted(targets(view.linked), key=lambda rows: theme_order[rows[0].target.theme]):
        layout[rows[0].plan.status].setdefault(rows[0].target.theme, []).append(rows)
    lines: dict[str, dict[str, list[PlanLine]]] = {status: {} for status in STATUS_ORDER}
    for status, by_theme in layout.items():
        for theme_id, groups_of_theme in by_theme.items():
            theme = view.linked.themes[theme_id].title.get(view.lang)
            for rows in groups_of_theme:
                first = rows[0]
                target, target_anchor = cite(first.target, first.plan.id, "t")
                more = tuple(Restatement(*cite(r.target, r.plan.id, "t"), view.sources[r.target.citation.source].date)
                             for r in rows[1:])
                outcome, outcome_anchor = cite(first.outcome, first.plan.id, "o") if first.outcome else (None, None)
                lines[status].setdefault(theme, []).append(PlanLine(
                    first.plan.id, plan_anchor(first.plan.id), tuple(plan_anchor(r.plan.id) for r in rows[1:]),
                    first.target.subject.get(view.lang), view.rich(first.plan.note),
                    target, target_anchor, view.sources[first.target.citation.source].date, more,
                    outcome, outcome_anchor,
                    view.sources[first.outcome.citation.source].date if first.outcome else None,
                    view.label(first.plan.status), first.plan.status, _difference(view, first)))
    groups = tuple(PlanGroup(view.label(status), status, sum(len(v) for v in by_theme.values()),
                             tuple(PlanTheme(theme, tuple(items)) for theme, items in by_theme.items()))
                   for status, by_theme in lines.items() if by_theme)
    return PlansPage(view.common(view.urls.page("plans"), view.gettext("Plans vs outcomes")), groups,
                     sum(group.count for group in groups), cites.notes() if own else (), len(view.linked.plans))


def _difference(view: View, row) -> str | None:
    """Say how far an outcome is from its target, where that means something: percentage points with a sign, an
    amount in words (CNY 20 billion less), as exact as the outcome is: "about" for an approximate one; for one of
    "nearly" Y, a shortfall of more than the difference from Y, or a surplus of nearly it."""
    # Over/under outcomes give no usable difference; about/nearly ones give an approximate one.
    if row.difference is None or not row.outcome or row.outcome.qualifier not in ("exact", "about", "nearly"):
        return None
    qualifier, below = row.outcome.qualifier, row.difference < 0
    if row.difference == 0:
        return {"exact": view.gettext("none"), "about": view.gettext("about the same"),
                "nearly": view.gettext("slightly less")}[qualifier]
    if row.target.unit == "percent":
        sign = "−" if below else "+"
        text = sign + view.gettext("%(n)s percentage points") % {"n": format_number(abs(row.difference), view.lang)}
        if qualifier == "nearly":
            return (view.gettext("%(difference)s or more") if below else view.gettext("nearly %(difference)s")) % {
                "difference": text}
    else:
        amount = format_amount(abs(row.difference), row.target.unit, "exact", row.target.counter, view.lang)
        if qualifier == "nearly":
            return (view.gettext("more than %(amount)s less") if below else view.gettext("nearly %(amount)s more")) % {
                "amount": amount}
        text = (view.gettext("%(amount)s less") if below else view.gettext("%(amount)s more")) % {"amount": amount}
    return text if qualifier == "exact" else view.gettext("about %(difference)s") % {"difference": text}


def _same_step(linked: Linked, ms) -> list:
    """Return the other articles' milestones that report the same step as `ms` (linked by `same_as` either way; link
    holds both to one project, so only that project's milestones are looked at: all of them made this quadratic,
    9 s of CPU at 500 sources)."""
    return [o for o in linked.project_milestones[ms.project]
            if o.id != ms.id and (o.id == ms.same_as or o.same_as == ms.id)]


def _account(view: View, item_id: str, text: str, source: str) -> Account:
    """Make one article's account of a figure or date."""
    in_parentheses = view.gettext(" (%(text)s)") % {"text": view.sources[source].short}  # full-width in Chinese
    return Account(f"{text}{in_parentheses}", view.urls.item(item_id))


def disagreements(view: View) -> tuple[Disagreement, ...]:
    """Return every figure two articles give differently for the same period, kind and scope, and every step two
    articles date differently."""
    found = []
    for row in view.linked.series.values():
        groups: dict[tuple, list[Fact]] = {}
        for fact in row.facts:
            if fact.id in row.conflicts:
                groups.setdefault((fact.period, fact.kind, fact.scope), []).append(fact)
        for facts in groups.values():
            name = view.gettext(", ").join((row.name.get(view.lang), format_period(facts[0].period, view.lang)))
            found.append(Disagreement(name, tuple(_account(view, f.id, view.value(f), f.citation.source) for f in facts)))
    for ms in view.linked.site.milestones:
        other = view.linked.milestones.get(ms.same_as or "")
        if other and other.date != ms.date:
            found.append(Disagreement(view.milestone_name(ms),
                                      tuple(_account(view, m.id, format_date(m.date, view.lang), m.citation.source)
                                            for m in (ms, other))))
    return tuple(found)
