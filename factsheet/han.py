"""Chinese text on pages in other languages, marked as such: `<span lang="zh-Hans">` around every run of it.

English pages quote Chinese in many places (passages, headlines, Markdown prose, glossary notes); marking it here,
once, lets screen readers and font fallback treat it as Chinese wherever it comes from. Pages are marked as they
stream out of Jinja, piece by piece (`mark_han_pieces`), never joined whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from re import Match


HAN_RUN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff][\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]*"
                        r"(?:[0-9.%]+[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+)*"
                        r"(?![^<>]*>)")
"""A run of Chinese text (with the numbers inside it), not inside a tag: what follows it is not the end of a tag."""
SKIPPED_RE = re.compile(r'<(script|style|title|textarea)\b[^>]*>|<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*\slang="zh[^"]*"[^>]*>',
                        re.IGNORECASE)
"""The start of an element whose text is left alone: raw text, or already marked as Chinese."""
VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclass(frozen=True, slots=True)
class _Open:
    """An element whose text `mark_han` leaves alone, still open where a piece of the page ends."""

    name: str
    raw: bool
    """Raw text (script, style, title, textarea): it ends at its closing tag, whatever is inside."""
    depth: int
    """Elements of the same name open inside it, itself included."""


def _skip_element(html: str, pos: int, element: _Open) -> tuple[int, _Open | None]:
    """Return where `element`, open at `pos`, ends in `html`, and None; or the end of `html` and what is still open."""
    if element.raw:
        close = re.compile(rf"</{element.name}\s*>", re.IGNORECASE).search(html, pos)
        return (close.end(), None) if close else (len(html), element)
    tags = re.compile(rf"<(/?){element.name}\b[^>]*>", re.IGNORECASE)
    end, depth = pos, element.depth
    while depth:
        tag = tags.search(html, end)
        if tag is None:
            return len(html), _Open(element.name, False, depth)
        end = tag.end()
        depth += -1 if tag.group(1) else 0 if tag.group().endswith("/>") else 1
    return end, None


def _wrap_han(match: Match[str]) -> str:
    return f'<span lang="zh-Hans">{match.group()}</span>'


def _mark_piece(html: str, element: _Open | None) -> tuple[str, _Open | None]:
    """Mark Chinese in a piece of a page that ends where a tag starts (or at the page's end); `element` is the
    skipped element open where the piece starts. Return the marked piece and the element open where it ends."""
    out = []
    done = 0
    if element:
        done, element = _skip_element(html, 0, element)
        out.append(html[:done])
    starts = SKIPPED_RE.finditer(html, done)
    while element is None:
        start = next(starts, None)
        if start is None:
            out.append(HAN_RUN_RE.sub(_wrap_han, html[done:]))
            break
        if start.start() < done:
            continue  # inside an element already skipped
        out.append(HAN_RUN_RE.sub(_wrap_han, html[done:start.start()]))
        raw, name = start.group(1), (start.group(1) or start.group(2)).lower()
        if not raw and (name in VOID_TAGS or start.group().endswith("/>")):
            end = start.end()
        else:
            end, element = _skip_element(html, start.end(), _Open(name, bool(raw), 1))
        out.append(html[start.start():end])
        done = end
    return "".join(out), element


def mark_han(html: str) -> str:
    """Wrap Chinese text that is not already inside a lang="zh…" element in <span lang="zh-Hans">.

    English pages quote Chinese in many places (Markdown prose, glossary notes); marking it here, once,
    lets screen readers and font fallback treat it as Chinese wherever it comes from. Text inside
    script, style, title and textarea, and inside tags (attribute values), is left alone.

    >>> mark_han('<p>Term 城市更新 means <span lang="zh-Hans">城市<b>更新</b></span> <i title="城市">x</i></p>')
    '<p>Term <span lang="zh-Hans">城市更新</span> means <span lang="zh-Hans">城市<b>更新</b></span> <i title="城市">x</i></p>'
    """
    return _mark_piece(html, None)[0]


def mark_han_pieces(pieces: Iterable[str]) -> Iterator[str]:
    """`mark_han` over a page that comes in pieces (as Jinja generates it), without joining the whole page.

    Pieces are gathered and cut just before their last "<": Chinese text cannot run across a tag, so each cut
    piece marks exactly as the whole page would; an element left open at a cut is carried to the next piece.

    >>> "".join(mark_han_pieces(['<p>城', '市 <span lang="zh-Hans">更', '新</span> 区</p>']))
    '<p><span lang="zh-Hans">城市</span> <span lang="zh-Hans">更新</span> <span lang="zh-Hans">区</span></p>'
    """
    carried = ""
    element: _Open | None = None
    for batch in _batches(pieces):
        text = carried + "".join(batch)
        cut = text.rfind("<")
        if cut <= 0:
            carried = text
            continue
        marked, element = _mark_piece(text[:cut], element)
        yield marked
        carried = text[cut:]
    yield _mark_piece(carried, element)[0]


def _batches(pieces: Iterable[str], size: int = 4096) -> Iterator[list[str]]:
    """Group pieces by `size`, so that per-piece work happens in C (`islice`, `str.join`), not in a Python loop."""
    pieces = iter(pieces)
    while batch := list(islice(pieces, size)):
        yield batch


def joined(pieces: Iterable[str]) -> Iterator[str]:
    """Join a page's pieces into blocks of 4,096 pieces, as `mark_han_pieces` does, to write as they come."""
    return ("".join(batch) for batch in _batches(pieces))
