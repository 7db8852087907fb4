"""The numbered citations of a page and its source notes: the one numbering of the overview, theme, indicator,
timelines and plans pages; the print edition shares one across its sections, numbered by cited passage."""

from __future__ import annotations

from .parts import Note
from .views import View


class Citations:
    """The numbered citations of one page, in reading order, and its notes.

    On a section page every citation has its own note; in the print edition (`per_passage`) a number belongs to a
    cited passage, given where the passage is first cited, so that one endnote serves every figure quoting it.
    """

    def __init__(self, view: View, per_passage: bool = False):
        self.view = view
        self.per_passage = per_passage
        self.numbers: dict[str, int] = {}
        self.first: list[tuple[str, str]] = []

    def cite(self, item_id: str, anchor: str) -> int:
        """Return the note number of a fact or milestone shown at `anchor`, numbering it if it is new."""
        if not self.per_passage:
            self.first.append((item_id, anchor))
            return len(self.first)
        key = self.view.linked.passage_of[item_id].id
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            self.first.append((item_id, anchor))
        return self.numbers[key]

    def notes(self) -> tuple[Note, ...]:
        """Return the page's notes, in number order."""
        return tuple(self.view.note(number, item_id, anchor) for number, (item_id, anchor) in enumerate(self.first, 1))


def page_citations(view: View, citations: Citations | None) -> tuple[Citations, bool]:
    """Return the citations to number into, and whether they are the page's own (it then lists its notes)."""
    return (citations, False) if citations is not None else (Citations(view), True)
