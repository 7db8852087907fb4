"""Finding a figure: the offline search index of each language, and the A–Z index page that needs no script.

The index is a script (`search/<lang>.js` setting `window.factsheetSearch`), not a JSON file: a page opened from
`file://` may load a script but not `fetch()` a file. It lists every fact, milestone, plan, series and article with
what a result shows (the figure, its period, kind and article) and where it leads, and is loaded only when the
search field is first used. `site.js` matches Chinese as a plain substring of each entry's text (a scan: a few
hundred short entries take well under a millisecond, so n-grams would buy nothing) and other text by words and word
prefixes, case-insensitively. At 100× the content (about 45,000 entries, some 2 MB gzipped per language: 21 KB now) one file
would be too much to load on focus; the index would then be split into shards by the first character of each word,
and the field would load only the shards its query needs.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

from .contexts import FiguresPage, IndexEntry, IndexGroup
from .format import format_date
from .pinyin import pinyin
from .languages import LANGUAGES
from .views import View

HAN = ("\u3400", "\u9fff")


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing the search can find, as its result shows it."""

    type: str
    """What it is, in words (Figure, Milestone, Plan, Series, Article)."""
    title: str
    """Its subject, name or headline in the page's language."""
    other: str
    """The same in the other languages: searchable, not shown."""
    value: str
    period: str
    kind: str
    article: str
    """The short name of its article."""
    href: str

    def row(self) -> list[str]:
        """Return the entry as the index writes it: a list, in field order."""
        return [self.type, self.title, self.other, self.value, self.period, self.kind, self.article, self.href]


def entries(view: View) -> list[Entry]:
    """Return every searchable thing in the view's language: facts, series, milestones, plans, articles."""
    linked, lang, _ = view.linked, view.lang, view.gettext
    others = [other.code for other in LANGUAGES if other != view.language]
    found = []
    for fact in linked.site.facts:
        found.append(Entry(_("Figure"), fact.subject.get(lang), " ".join(fact.subject.get(o) for o in others),
                           view.value(fact), view.figure(fact, 0).period, view.label(fact.kind),
                           view.sources[fact.citation.source].short, view.urls.fact(fact.id)))
    for indicator_id, row in linked.series.items():
        found.append(Entry(_("Series"), row.name.get(lang), " ".join(row.name.get(o) for o in others),
                           _("%(n)s observations") % {"n": len(row.facts)}, "", "", "", view.urls.indicator(indicator_id)))
    for ms in linked.site.milestones:
        project = linked.projects[ms.project].name
        found.append(Entry(_("Milestone"), view.milestone_name(ms),
                           " ".join(f"{project.get(o)} {ms.label.get(o)}" for o in others), "",
                           format_date(ms.date, lang), view.label("done" if ms.done else "planned"),
                           view.sources[ms.citation.source].short, view.urls.milestone(ms.id)))
    for plan in linked.plans:
        found.append(Entry(_("Plan"), plan.target.subject.get(lang), " ".join(plan.target.subject.get(o) for o in others),
                           view.value(plan.target) + (f" → {view.value(plan.outcome)}" if plan.outcome else ""),
                           view.figure(plan.target, 0).period, view.label(plan.plan.status),
                           view.sources[plan.target.citation.source].short, view.urls.plan(plan.plan.id)))
    for source in linked.site.sources:
        found.append(Entry(_("Article"), source.headline.get(lang), " ".join(source.headline.get(o) for o in others),
                           "", view.sources[source.id].date, "", view.sources[source.id].short,
                           view.urls.source(source.id)))
    return found


def search_index(view: View) -> bytes:
    """Return the search index of the view's language as a script."""
    data = {"fields": ["type", "title", "other", "value", "period", "kind", "article", "href"],
            "items": [entry.row() for entry in entries(view)]}
    return ("window.factsheetSearch=" + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n").encode()


def sort_key(text: str, han: bool) -> tuple[str, str]:
    """Return (group letter, key) to file an index entry under: its first letter; in a language written in Chinese
    characters (`han`), the first letter of its pinyin."""
    if han and text and HAN[0] <= text.lstrip("“”\"《（(")[:1] <= HAN[1]:
        key = pinyin(text).lower()
    else:
        key = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    key = key.lstrip(" “”\"'‘’《（(")
    letter = key[:1].upper() if key[:1].isalpha() else "#"
    return letter, key


def build_figures(view: View) -> FiguresPage:
    """Build the A–Z index of every figure, for readers without script (the search field leads there)."""
    groups: dict[str, list[tuple[str, IndexEntry]]] = {}
    for fact in view.linked.site.facts:
        figure = view.figure(fact, 0)
        letter, key = sort_key(figure.subject, view.language.han)
        groups.setdefault(letter, []).append((key, IndexEntry(
            figure.subject, figure.scope, figure.value, figure.period, figure.kind, figure.kind_id, figure.source,
            figure.href)))
    ordered = tuple(IndexGroup(letter, tuple(entry for _, entry in sorted(items, key=lambda pair: pair[0])))
                    for letter, items in sorted(groups.items(), key=lambda pair: (pair[0] == "#", pair[0])))
    return FiguresPage(view.common(view.urls.page("figures"), view.gettext("A–Z index of figures"),
                                   view.gettext("Every figure of the fact sheet, by subject from A to Z, each linked "
                                                "to its row and source.")), ordered)
