"""A series drawn as a small SVG bar chart on a time scale, or said in one sentence when a drawing would mislead.

`series_chart` returns a `Chart`: the inline SVG for the page (coloured by style.css and print.css, dark mode
included), the same drawing as a self-contained .svg file (XML declaration, its own <style>, SVG 1.1), or a sentence.

- Size. The drawing is WIDTH (320) units wide and as tall as it needs; every text is FONT (14) units. print.css draws
  it 58 mm wide, so text prints at 14 × 58 mm / 320 = 2.54 mm = 7.2 pt; on screen, at its natural width, it is 14 px.
  The drawing never grows wider to make room: the print width is fixed, so a wider viewBox would only print smaller
  text. It grows taller instead, for second lines, staggered rows, the legend and the source line.
- Time. Each observation stands at the middle of its period on a real time scale (`Date.span()`, narrowed by the
  date's part so that 年底 is December and 上旬 the first ten days; a span such as 2022—2026 is its whole extent), so
  gaps of 23 and 9 months look different. Observations of one period stand side by side, centred on it. When one
  gap is more than BREAK_RATIO times all the others together (1994 … 2022, 2023), it is drawn BREAK_W wide with a
  break mark on the axis, and time is proportional on either side of it. Periods too close for their bars are
  pushed apart by the least that separates them.
- Labels. A text's width is estimated from its characters, conservatively (CJK and full-width 1 em, digits 0.64 em,
  Latin letters by width class, measured on DejaVu Sans, the widest common sans), and every label is placed by its
  box, so none touches another (side by side they keep GAP_X apart, so that two never read as one). Period labels
  take the first of: every label whole on one line; every label abbreviated (Mar 2024, Q1 2022: all of a chart or
  none, and never in the table); a second line for those that still collide (at a space, or in Chinese after 年 or
  at a qualifier, never inside a number or a unit); two alternating rows; labels turned to hang below their bars.
  Wrapping comes before rows because a label under its own bar reads faster than one a row below, and more than two
  rows no longer read as belonging to their bars. Value labels stay exact: English amounts drop their currency
  code, which the chart states once above the bars ("Amounts in CNY"), and nothing else. Each sits on its bar,
  wraps onto two lines where it would touch a neighbour or its bar, reaches out beside a neighbour of its period,
  and only then rises, preferably still over its own bar; equal values of one period share one label. When more
  than one label would rise, or one over another bar, every value label of the chart is turned to read upwards from
  its bar instead (the crowded case: many periods close together).
- Marks. Results and totals are solid, targets hatched with a dashed outline, which black and white keeps apart; a
  legend above the bars names both when there are targets (on one line, or one line each: it always fits). A bar too low to see is drawn MIN_BAR_H high with its
  label exact; zero is a thick mark on the zero line; negative values hang below it with their labels beneath. A
  range (low, high) is drawn as a bar floating from low to high.
- Sentences. A series whose values are all equal, or a rank (unit `rank` or `top`), is said, not drawn: equal bars
  show nothing, and a rank's bar grows as the rank worsens. "No. 1 in every report: target for 2023 and 2024; result
  for 2024."
- Source. The last text of every drawing is its source line, so that a downloaded chart carries its citation.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from html import escape
from itertools import count

from markupsafe import Markup

from .parts import Figure
from .format import format_list, format_period
from .model import UNITS, Date, Fact, Row

WIDTH = 320
"""Width of every drawing, in its own units."""
FONT = 14
"""Font size of every text, in the drawing's units."""
PRINT_WIDTH_MM = 58
"""How wide print.css draws a chart (`.chart-fig`, `.chart`): FONT / WIDTH at this width must be at least 7 pt."""
PAD = 6
"""White margin around the drawing."""
PLOT_H = 110
"""Height given to the span of values, zero included."""
LEADING = 1.2
"""Line spacing inside a label, in em."""
ASCENT, DESCENT = 1.0, 0.3
"""A line's box above and below its baseline, in em: generous, for Latin and CJK fonts alike."""
GAP, GAP_X = 4, 10
"""Least white space between two texts one above the other, and side by side (wider than a space, so that two
labels never read as one); between a text and a bar it is GAP / 2."""
MAX_BAR, MIN_BAR, BAR_GAP, SLOT_GAP = 40, 10, 4, 10
"""Bar widths, the space between the bars of one period and between periods."""
MIN_BAR_H = 3
"""Least height of a bar whose value is not zero, so that a tiny value is still seen."""
BREAK_RATIO, BREAK_W = 3, 84
"""A gap longer than BREAK_RATIO times all the other gaps together is drawn BREAK_W wide, with a break mark."""
TURNING_COST = 2
"""What turning every value label costs, against the cost of rising (`value_labels`): labels turn when more than one
would rise, or one would rise over another bar."""
SWATCH = 11
"""Side of a legend's sample square."""

STYLE = """
text { fill: #1c2126; font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
  "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif; }
.solid { fill: #0b4f6c; }
.target { stroke: #1c2126; stroke-width: 1.5; stroke-dasharray: 4 2; }
.hatch { stroke: #55606b; stroke-width: 2; }
.axis { stroke: #55606b; }
.zero { stroke: #1c2126; stroke-width: 3; }
.src { fill: #55606b; }
"""
"""The standalone file's own <style> (the page's style.css, light colours): a downloaded file sees no other."""

WIDTHS = {" ": .32, ".": .32, ",": .32, ":": .32, ";": .32, "·": .32, "'": .3, "-": .37, "–": .5, "—": 1.0,
          "%": .95, "×": .84, "²": .4, "(": .4, ")": .4, "i": .3, "j": .3, "l": .3, "I": .3, "f": .4, "t": .4,
          "r": .42, "m": .98, "w": .82, "M": .87, "W": 1.0}
"""Widths in em of the characters that are not an average letter, as DejaVu Sans draws them (rounded up)."""
NO_LINE_START = set("，。、；：？！）》」』”’%")
"""Characters a second line may not begin with."""
ZH_BREAK_AFTER = "年—–"
ZH_LEADING = ("约", "近", "不足", "超过")
ZH_TRAILING = ("以上", "左右", "以下")
"""Where a Chinese label may break: after 年 or a dash (periods), after a leading or before a trailing qualifier (the
patterns of format.QUALIFIER_PATTERNS["zh"]); never inside a number or a unit."""

Box = tuple[float, float, float, float]
"""x0, y0, x1, y1."""


@dataclass(frozen=True, slots=True)
class Chart:
    """A series drawn, or said in a sentence when a drawing would mislead."""

    svg: Markup | None
    """Inline SVG for the page, or None."""
    standalone: str | None
    """The same drawing as a self-contained .svg file's text, or None."""
    sentence: str | None
    """The statement shown instead of a drawing (constant series, ranks), or None."""


def series_chart(row: Row, figures: Sequence[Figure], lang: str, gettext: Callable[[str], str],
                 source_line: str) -> Chart:
    """Draw a series (`figures[i]` is `row.facts[i]` formatted), or say it in a sentence when it is constant or a rank."""
    pairs = list(zip(row.facts, figures))
    if len(pairs) < 2:
        return Chart(None, None, None)
    if row.unit in ("rank", "top") or len({_bounds(f.value) for f, _ in pairs}) == 1:
        sentence = statement(pairs, row.unit in ("rank", "top"), lang, gettext)
        return Chart(None, None, sentence[:1].upper() + sentence[1:])
    drawing = draw(row, pairs, lang, gettext, source_line)
    return Chart(Markup(drawing.svg(standalone=False)), drawing.svg(standalone=True), None)


# --- Sentences ------------------------------------------------------------------------------------------------------

def statement(pairs: list[tuple[Fact, Figure]], rank: bool, lang: str, gettext: Callable[[str], str]) -> str:
    """Say a constant series or a rank in one sentence: each stated value, with the kinds and periods it was given for."""
    what = {"target": gettext("target for %(periods)s"), "result": gettext("result for %(periods)s"),
            "as_of": gettext("total as of %(periods)s")}
    by_value: dict[str, dict[str, list[str]]] = {}
    for fact, fig in pairs:
        periods = by_value.setdefault(fig.value, {}).setdefault(fact.kind, [])
        if fig.period not in periods:
            periods.append(fig.period)
    said = {value: [what[kind] % {"periods": format_list(periods, lang)} for kind, periods in kinds.items()]
            for value, kinds in by_value.items()}
    if len(said) == 1:
        ((value, reports),) = said.items()
        return gettext("%(value)s in every report: %(reports)s.") % {"value": value,
                                                                     "reports": gettext("; ").join(reports)}
    items = [gettext("%(value)s (%(reports)s)") % {"value": value, "reports": gettext(", ").join(reports)}
             for value, reports in said.items()]
    lead = gettext("Rank in each report: %(reports)s.") if rank else gettext(
        "The same number in every report: %(reports)s.")
    return lead % {"reports": gettext("; ").join(items)}


# --- Text -------------------------------------------------------------------------------------------------------------

def _wide(char: str) -> bool:
    """Whether a character is drawn 1 em wide (CJK, full-width forms)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


@cache  # the layout measures each label many times while it tries widths (42,000 calls for 1,450 labels at N = 5)
def text_em(text: str) -> float:
    """Estimate a line's width in em, never less than a common sans font draws it.

    >>> text_em("2024年3月"), text_em("Mar 2024")
    (5.2, 4.81)
    """
    return round(sum(1.0 if _wide(c) else WIDTHS.get(c, .75 if c.isupper() else .64) for c in text), 2)


def wrapped(text: str) -> tuple[str, str] | None:
    """Split a label into its two most even lines, or return None: at a space, or in Chinese after 年 or a dash,
    after a leading qualifier (不足, 超过) or before a trailing one (以上, 左右), so that neither a number nor a unit
    (亿元, 万人次) is ever cut, and neither line is a lone character.

    >>> wrapped("first quarter of 2022"), wrapped("2022年一季度"), wrapped("2,000亿元以上"), wrapped("220.38亿元")
    (('first quarter', 'of 2022'), ('2022年', '一季度'), ('2,000亿元', '以上'), None)
    """
    options = []
    for i in range(1, len(text)):
        if text[i] == " ":
            options.append((text[:i], text[i + 1:]))
        elif (text[i - 1] in ZH_BREAK_AFTER or text[:i] in ZH_LEADING or text[i:] in ZH_TRAILING) and \
                text[i] not in NO_LINE_START:
            options.append((text[:i], text[i:]))
    options = [(a, b) for a, b in options if len(a.strip()) > 1 and len(b.strip()) > 1]
    return min(options, key=lambda lines: max(map(text_em, lines))) if options else None


def wrap_to(text: str, width: float) -> tuple[str, ...]:
    """Break a long text into lines no wider than `width` units, at spaces or between Chinese characters."""
    lines, line = [], ""
    for piece in _pieces(text):
        if line and text_em((line + piece).rstrip()) * FONT > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    return tuple(lines + [line.rstrip()]) if line.strip() else tuple(lines)


def _pieces(text: str) -> list[str]:
    """Cut a text where a line may break: after each space, and around each Chinese character."""
    pieces, piece = [], ""
    for char in text:
        if (_wide(char) and char not in NO_LINE_START) and piece:
            pieces.append(piece)
            piece = ""
        piece += char
        if char == " " or _wide(char):
            pieces.append(piece)
            piece = ""
    return pieces + [piece] if piece else pieces


@dataclass(frozen=True, slots=True)
class Label:
    """A text of the drawing: its lines, where its first baseline stands, and how it is aligned there."""

    lines: tuple[str, ...]
    x: float
    y: float
    cls: str
    anchor: str = "middle"
    turned: bool = False
    """Turned a quarter to the left, reading upwards (crowded charts only): `y` is then where the anchor stands."""

    @property
    def width(self) -> float:
        """Return the widest line's estimated width (its length along the line)."""
        return max(map(text_em, self.lines)) * FONT

    def box(self) -> Box:
        """Return the box its text can take."""
        below = ((len(self.lines) - 1) * LEADING + DESCENT) * FONT
        start = {"start": 0.0, "middle": self.width / 2, "end": self.width}[self.anchor]
        if self.turned:  # the text runs up from its start, its tops to the left
            return (self.x - ASCENT * FONT, self.y - self.width + start, self.x + below, self.y + start)
        return (self.x - start, self.y - ASCENT * FONT, self.x - start + self.width, self.y + below)

    def at(self, x: float | None = None, y: float | None = None) -> Label:
        """Return the label moved."""
        return Label(self.lines, self.x if x is None else x, self.y if y is None else y, self.cls, self.anchor,
                     self.turned)

    def inside(self) -> Label:
        """Return the label moved sideways, if need be, into the drawing's width."""
        x0, _, x1, _ = self.box()
        return self.at(x=self.x + max(0.0, PAD - x0) - max(0.0, x1 - (WIDTH - PAD)))

    def svg(self, dy: float) -> str:
        """Return the <text>, moved down by `dy`, its lines as <tspan>s."""
        y = self.y + dy
        extra = "" if self.anchor == "middle" else f' text-anchor="{self.anchor}"'
        if self.turned:
            extra += f' transform="rotate(-90 {self.x:.1f} {y:.1f})"'
        if len(self.lines) == 1:
            return f'<text x="{self.x:.1f}" y="{y:.1f}" class="{self.cls}"{extra}>{escape(self.lines[0])}</text>'
        spans = "".join(f'<tspan x="{self.x:.1f}" dy="{0 if i == 0 else LEADING * FONT:.1f}">{escape(line)}</tspan>'
                        for i, line in enumerate(self.lines))
        return f'<text x="{self.x:.1f}" y="{y:.1f}" class="{self.cls}"{extra}>{spans}</text>'


def overlap(a: Box, b: Box, across: float = GAP_X, gap: float = GAP) -> bool:
    """Whether two boxes come closer than `across` side by side or `gap` one above the other (by more than rounding)."""
    across, gap = across - 1e-6, gap - 1e-6
    return a[0] < b[2] + across and b[0] < a[2] + across and a[1] < b[3] + gap and b[1] < a[3] + gap


def collisions(labels: Sequence[Label]) -> list[tuple[int, int]]:
    """Return the pairs of labels (by index) whose boxes come too close (`overlap`)."""
    boxes = [label.box() for label in labels]
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if overlap(boxes[i], boxes[j])]


# --- Time -----------------------------------------------------------------------------------------------------------

def placed_span(start: Date, end: Date | None = None) -> tuple[datetime.date, datetime.date]:
    """Return the days a period is drawn over: `Date.span()`, narrowed by a part (年底 is December, 月初 days 1–10).

    >>> placed_span(Date(2024, part="end"))
    (datetime.date(2024, 12, 1), datetime.date(2024, 12, 31))
    """
    first, _ = _narrowed(start)
    _, last = _narrowed(end or start)
    return first, last


def _narrowed(date: Date) -> tuple[datetime.date, datetime.date]:
    """Return a date's span, narrowed to the part it names."""
    first, last = date.span()
    if not date.part:
        return first, last
    if date.precision == "year":
        months = {"early": (1, 1), "mid": (6, 7), "end": (12, 12)}[date.part]
        return (datetime.date(date.year, months[0], 1),
                Date(date.year, months[1], precision="month").span()[1])
    if date.precision == "month":
        days = {"early": (1, 10), "mid": (11, 20), "end": (21, last.day)}[date.part]
        return first.replace(day=days[0]), first.replace(day=days[1])
    return first, last


def midpoint(fact: Fact) -> float:
    """Return the middle of a fact's period, in days."""
    first, last = placed_span(fact.period.start, fact.period.end)
    return (first.toordinal() + last.toordinal() + 1) / 2


@dataclass(frozen=True, slots=True)
class Slot:
    """The observations of one period, drawn side by side."""

    time: float
    """The period's middle, in days."""
    items: tuple[tuple[Fact, Figure], ...]


def slots_of(pairs: list[tuple[Fact, Figure]]) -> list[Slot]:
    """Group the observations by period, in time order (each period's in the series' order)."""
    groups: dict[object, list[tuple[Fact, Figure]]] = {}
    for pair in pairs:
        groups.setdefault(pair[0].period, []).append(pair)
    return sorted((Slot(midpoint(items[0][0]), tuple(items)) for items in groups.values()), key=lambda s: s.time)


def broken_gap(times: Sequence[float]) -> int | None:
    """Return the index i of the gap (times[i], times[i+1]) to draw broken, or None when time can be proportional."""
    gaps = [b - a for a, b in zip(times, times[1:])]
    if len(gaps) < 2:
        return None
    longest = max(range(len(gaps)), key=gaps.__getitem__)
    rest = sum(gaps) - gaps[longest]
    return longest if rest > 0 and gaps[longest] > BREAK_RATIO * rest else None


def positions(times: Sequence[float], insets: tuple[float, float], broken: int | None) -> list[float]:
    """Place each slot's centre in proportion to time between the insets, a broken gap BREAK_W wide."""
    left, right = PAD + insets[0], WIDTH - PAD - insets[1]
    if len(times) == 1:
        return [WIDTH / 2]
    gaps = [b - a for a, b in zip(times, times[1:])]
    if not sum(gaps):  # slots of different periods centred on one moment (February, the first quarter)
        gaps = [1.0] * len(gaps)
    if broken is not None:
        gaps[broken] = (sum(gaps) - gaps[broken]) * BREAK_W / max(right - left - BREAK_W, 1.0)
    xs = [left]
    for gap in gaps:
        xs.append(xs[-1] + gap / sum(gaps) * (right - left))
    return xs


def separated(xs: Sequence[float], halves: Sequence[float]) -> bool:
    """Whether neighbouring slots' bars keep SLOT_GAP apart."""
    return all(b - a >= ha + hb + SLOT_GAP - .01 for a, b, ha, hb in zip(xs, xs[1:], halves, halves[1:]))


def pushed_apart(xs: Sequence[float], halves: Sequence[float], right: float) -> list[float]:
    """Move slots apart, by the least needed, until neighbouring bars keep SLOT_GAP apart (and none passes `right`)."""
    moved = list(xs)
    for i in range(1, len(moved)):
        moved[i] = max(moved[i], moved[i - 1] + halves[i - 1] + halves[i] + SLOT_GAP)
    moved[-1] = min(moved[-1], right)
    for i in range(len(moved) - 2, -1, -1):
        moved[i] = min(moved[i], moved[i + 1] - halves[i] - halves[i + 1] - SLOT_GAP)
    return moved


# --- Drawing ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Bar:
    """A drawn observation: its rectangle, in plot coordinates (y down, the highest value at 0)."""

    x: float
    y: float
    w: float
    h: float
    fact: Fact
    fig: Figure
    slot: int
    negative: bool
    zero: bool

    def box(self) -> Box:
        """Return the bar's rectangle (a zero's mark as a line)."""
        return (self.x, self.y, self.x + self.w, self.y + self.h)


@dataclass(frozen=True, slots=True)
class Drawing:
    """Everything a chart draws, in plot coordinates, and what its SVG needs around it."""

    id: str
    title: str
    desc: str
    bars: tuple[Bar, ...]
    labels: tuple[Label, ...]
    axis: tuple[tuple[float, float, float, float], ...]
    """Line segments of the zero line and the break mark."""
    swatches: tuple[tuple[float, float, bool], ...]
    """Legend squares: x, y, hatched."""
    top: float
    height: float

    def svg(self, standalone: bool) -> str:
        """Return the SVG: inline, styled by the page, or standalone, with its own <style> and a white ground."""
        cid, dy = self.id, -self.top
        head = (f'viewBox="0 0 {WIDTH} {self.height:.0f}" width="{WIDTH}" height="{self.height:.0f}" '
                f'font-size="{FONT}" text-anchor="middle"')
        if standalone:
            parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
                     f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="chart" {head}>']
        else:
            parts = [f'<svg class="chart" {head} role="img" aria-labelledby="{cid}-t {cid}-d" '
                     'xmlns="http://www.w3.org/2000/svg">']
        parts += [f'<title id="{cid}-t">{escape(self.title)}</title>', f'<desc id="{cid}-d">{escape(self.desc)}</desc>']
        if standalone:
            parts += [f'<style type="text/css">{STYLE}</style>',
                      f'<rect x="0" y="0" width="{WIDTH}" height="{self.height:.0f}" fill="#ffffff"/>']
        parts.append(f'<defs><pattern id="{cid}-h" width="6" height="6" patternUnits="userSpaceOnUse" '
                     f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch" '
                     f'stroke="#55606b" stroke-width="2"/></pattern></defs>')
        for x, y, hatched in self.swatches:
            parts.append(_rect(x, y + dy, SWATCH, SWATCH, hatched, cid))
        for bar in self.bars:
            if bar.zero:
                parts.append(f'<line x1="{bar.x:.1f}" y1="{bar.y + dy:.1f}" x2="{bar.x + bar.w:.1f}" '
                             f'y2="{bar.y + dy:.1f}" class="zero" stroke="#1c2126" stroke-width="3"/>')
            else:
                parts.append(_rect(bar.x, bar.y + dy, bar.w, bar.h, bar.fact.kind == "target", cid))
        for x1, y1, x2, y2 in self.axis:
            parts.append(f'<line x1="{x1:.1f}" y1="{y1 + dy:.1f}" x2="{x2:.1f}" y2="{y2 + dy:.1f}" class="axis" '
                         'stroke="#55606b"/>')
        parts += [label.svg(dy) for label in self.labels]
        parts.append("</svg>")
        return "".join(parts)


def _rect(x: float, y: float, w: float, h: float, hatched: bool, cid: str) -> str:
    """Return a bar or a legend square: hatched with a dashed outline (a target), or solid."""
    if hatched:
        return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" class="bar target" '
                f'fill="url(#{cid}-h)" stroke="#1c2126" stroke-width="1.5" stroke-dasharray="4 2"/>')
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" class="bar solid" fill="#0b4f6c"/>'


def _bounds(value: float | tuple[float, float]) -> tuple[float, float]:
    """Return a value as (low, high): a range as it is, a number twice."""
    return (float(value[0]), float(value[1])) if isinstance(value, tuple) else (float(value), float(value))


def draw(row: Row, pairs: list[tuple[Fact, Figure]], lang: str, gettext: Callable[[str], str],
         source_line: str) -> Drawing:
    """Lay out a series' bars, labels, legend and source line."""
    # English amounts name their currency once, above the bars, and not on every bar (CNY 22.038 billion → 22.038 billion).
    written = UNITS[row.unit].get(lang)
    currency = written[:3] if re.fullmatch(r"[A-Z]{3} \{\}", written) else ""
    shown = [(f, replace(fig, value=fig.value.replace(f"{currency} ", "", 1))) for f, fig in pairs] if currency else pairs
    slots = slots_of(shown)
    texts_full = [format_period(s.items[0][0].period, lang) for s in slots]
    texts_short = [format_period(s.items[0][0].period, lang, short=True) for s in slots]
    # End slots stand in far enough for their labels; further in if a label would otherwise have to rise; and labels
    # are turned to read upwards when that spares more than one label rising, or one rising over another bar.
    layouts = [layout_bars(slots, (_edge_room(slots[0], texts_short[0], room),
                                   _edge_room(slots[-1], texts_short[-1], room))) for room in (False, True)]
    if min(lay[4] for lay in layouts) > 1:
        turned = layout_bars(slots, (FONT, FONT), turned=True)
        layouts.append(turned[:4] + (turned[4] + TURNING_COST,) + turned[5:])
    xs, halves, bars, values_placed, _, broken = min(layouts, key=lambda lay: lay[4])
    zero, _ = value_scale(pairs)
    plot_bottom = max([PLOT_H] + [b.y + b.h for b in bars] + [label.box()[3] for label in values_placed])
    periods = period_labels(xs, texts_full, texts_short, plot_bottom + GAP + 2)
    lowest = max(label.box()[3] for label in periods)
    source = Label(wrap_to(source_line, WIDTH - 2 * PAD), PAD, lowest + GAP * 2 + ASCENT * FONT, "src", "start")
    highest = min([0.0] + [label.box()[1] for label in values_placed])
    caption = gettext("Amounts in %(currency)s") % {"currency": currency} if currency else None
    legend, swatches = legend_of(pairs, highest - GAP * 2, gettext, caption)

    axis = [(PAD, zero, WIDTH - PAD, zero)]
    if broken is not None:
        mid = (xs[broken] + halves[broken] + xs[broken + 1] - halves[broken + 1]) / 2
        axis = [(PAD, zero, mid - 5, zero), (mid + 5, zero, WIDTH - PAD, zero),
                (mid - 8, zero + 7, mid - 2, zero - 7), (mid + 2, zero + 7, mid + 8, zero - 7)]
    labels = (*legend, *values_placed, *periods, source)
    boxes = [label.box() for label in labels] + [bar.box() for bar in bars]
    top = min(box[1] for box in boxes) - PAD
    bottom = math.ceil(max(box[3] for box in boxes) + PAD - top) + top
    point = gettext("%(period)s: %(value)s (%(kind)s)")
    desc = gettext("; ").join(point % {"period": fig.period, "value": fig.value, "kind": fig.kind} for _, fig in pairs)
    return Drawing(f"c-{row.id}", row.name.get(lang), desc, tuple(bars), labels, tuple(axis), swatches, top,
                   bottom - top)


def value_scale(pairs: list[tuple[Fact, Figure]]) -> tuple[float, float]:
    """Return where the zero line stands and units per unit of value: the highest value (or zero) is drawn at 0,
    the lowest (or zero) PLOT_H below."""
    values = [_bounds(f.value) for f, _ in pairs]
    high, low = max(0.0, *(v[1] for v in values)), min(0.0, *(v[0] for v in values))
    scale = PLOT_H / (high - low)
    return high * scale, scale


def layout_bars(slots: list[Slot], insets: tuple[float, float], turned: bool = False):
    """Place the bars, as wide as the closest two periods allow, and their value labels (`turned`: reading upwards);
    return the slots' centres, half widths, the bars, the labels, what rising cost them, and the broken gap."""
    broken = broken_gap([s.time for s in slots])
    times = [s.time for s in slots]
    # A turned label takes a line's height across: bars are at least that apart, so their labels cannot touch.
    narrowest = math.ceil((ASCENT + DESCENT) * FONT + GAP_X - BAR_GAP) if turned else MIN_BAR
    for width in range(MAX_BAR, narrowest - 1, -1):
        halves = [_half(len(s.items), width) for s in slots]
        ends = (max(insets[0], halves[0]), max(insets[1], halves[-1]))
        xs = positions(times, ends, broken)
        if separated(xs, halves):
            break
    else:
        xs = pushed_apart(xs, halves, WIDTH - PAD - ends[1])
    zero, scale = value_scale([item for slot in slots for item in slot.items])
    bars = []
    for i, (slot, x, half) in enumerate(zip(slots, xs, halves)):
        for j, (fact, fig) in enumerate(slot.items):
            lo, hi = _bounds(fact.value)
            left = x - half + j * (width + BAR_GAP)
            if lo == hi == 0:
                bars.append(Bar(left, zero, width, 0, fact, fig, i, False, True))
                continue
            top, bottom = zero - max(hi, 0) * scale, zero - min(lo, 0) * scale
            if lo < hi:  # a range floats from low to high
                top, bottom = zero - hi * scale, zero - lo * scale
            if bottom - top < MIN_BAR_H:
                top, bottom = (top, top + MIN_BAR_H) if hi < 0 else (bottom - MIN_BAR_H, bottom)
            bars.append(Bar(left, top, width, bottom - top, fact, fig, i, hi < 0, False))
    labels, cost = value_labels(bars, turned)
    return xs, halves, bars, labels, cost, broken


def _half(bars: int, width: float) -> float:
    """Return half the width of a slot of `bars` bars."""
    return (bars * width + (bars - 1) * BAR_GAP) / 2


def _edge_room(slot: Slot, period: str, room: bool) -> float:
    """Return how far from the edge an end slot's centre must stand for its labels, in their narrowest form, to fit:
    half their width, or (`room`) the whole width of the widest value label, which may then stand beside its bar."""
    def narrowest(text: str) -> float:
        """Return a label's width on two lines, or one if it cannot wrap."""
        return Label(wrapped(text) or (text,), 0, 0, "").width

    values = [narrowest(fig.value) for _, fig in slot.items]
    if len(values) == 1:
        return max(narrowest(period), values[0]) / 2
    return max(narrowest(period) / 2, max(values) + GAP_X if room else 0)


def value_labels(bars: list[Bar], turned: bool = False) -> tuple[list[Label], int]:
    """Place a label on each bar (one for equal values side by side): centred on one line or two, then beside a
    neighbour of its period, rising only if it must; or, `turned`, each reading upwards from its bar. Return the
    labels and what rising cost: 1 a label still over its own bars only, 3 one that rose over another bar."""
    groups: list[list[Bar]] = []
    for bar in bars:
        last = groups[-1][-1] if groups else None
        if last and last.slot == bar.slot and last.fig.value == bar.fig.value and last.fact.value == bar.fact.value:
            groups[-1].append(bar)
        else:
            groups.append([bar])
    placed: list[Label] = []
    cost = 0
    # Within a period the shortest bar's label goes first: a taller neighbour's label can always go above it.
    order = sorted(range(len(groups)), key=lambda n: (groups[n][0].slot, max(b.h for b in groups[n])))
    for n in order:
        group = groups[n]
        text = group[0].fig.value
        left, right = group[0].x, group[-1].x + group[-1].w
        down = all(b.negative for b in group)
        others = [b.box() for b in bars if all(b is not g for g in group)]
        if turned:
            candidates = [_on_bar(Label((text,), (left + right) / 2 + (ASCENT - DESCENT) / 2 * FONT, 0, "val",
                                        "end" if down else "start", True), group, down)]
        else:
            options = [(text,)] + ([wrapped(text)] if wrapped(text) else [])
            before = n > 0 and groups[n - 1][0].slot == group[0].slot
            after = n + 1 < len(groups) and groups[n + 1][0].slot == group[0].slot
            candidates = [_on_bar(Label(lines, (left + right) / 2, 0, "val"), group, down) for lines in options]
            if before != after:  # a neighbour on one side only: the label may reach out to the other side
                candidates += [label.at(x=left + label.width / 2 if before else right - label.width / 2)
                               for label in candidates]
        label = next((c.inside() for c in candidates if _free(c.inside(), placed, others)), None)
        if label is None:
            # Rise: preferably where the label still stands over its own bars only, its narrowest form first.
            risen_ones = [_risen(c.inside(), placed, others, down) for c in sorted(candidates, key=lambda c: c.width)]
            clear = [r for r in risen_ones if not any(r.box()[0] < b[2] and b[0] < r.box()[2] for b in others)]
            label = (clear or risen_ones)[0]
            cost += 1 if clear else 3
        placed.append(label)
    return placed, cost


def _risen(label: Label, placed: list[Label], bars: list[Box], down: bool) -> Label:
    """Move a label up (down, for a negative bar) until it touches no placed label and no bar."""
    for _ in range(len(bars) + len(placed) + 1):
        if _free(label, placed, bars):
            break
        hit = [b for b in [p.box() for p in placed] if overlap(label.box(), b)] + [
            b for b in bars if overlap(label.box(), b, GAP / 2, GAP / 2)]
        box = label.box()
        shift = (max(b[3] for b in hit) + GAP - box[1]) if down else (min(b[1] for b in hit) - GAP - box[3])
        label = label.at(y=label.y + shift)
    return label


def _on_bar(label: Label, group: list[Bar], down: bool) -> Label:
    """Stand a label just above its bars (below them when they are negative)."""
    top = min(b.y for b in group) - (1.5 if group[0].zero else 0)
    bottom = max(b.y + b.h for b in group) + (1.5 if group[0].zero else 0)
    box = label.box()
    return label.at(y=label.y + (bottom + GAP - box[1] if down else top - GAP - box[3]))


def _free(label: Label, placed: list[Label], bars: list[Box]) -> bool:
    """Whether a label touches no placed label and no other bar."""
    box = label.box()
    return not any(overlap(box, p.box()) for p in placed) and not any(overlap(box, b, GAP / 2, GAP / 2)
                                                                       for b in bars)


def period_labels(xs: Sequence[float], full: Sequence[str], short: Sequence[str], top: float) -> list[Label]:
    """Place the period labels under the bars: whole, then abbreviated, then wrapped where they collide, then in two
    rows, then turned (reading upwards), and only if even those collide in as many rows as it takes."""
    baseline = top + ASCENT * FONT

    def line_up(lines: Sequence[tuple[str, ...]]) -> list[Label]:
        """Stand each label, as these lines, under its slot in one row."""
        return [Label(ls, x, baseline, "lab").inside() for ls, x in zip(lines, xs)]

    for texts in dict.fromkeys((tuple(full), tuple(short))):
        labels = line_up([(t,) for t in texts])
        if not collisions(labels):
            return labels
    lines = [(t,) for t in short]
    while True:
        labels = line_up(lines)
        clash = collisions(labels)
        if not clash:
            return labels
        free = [i for pair in clash for i in pair if len(lines[i]) == 1 and wrapped(short[i])]
        if not free:
            break
        widest = max(free, key=lambda i: labels[i].width)
        lines[widest] = wrapped(short[widest]) or lines[widest]
    row = ((max(map(len, lines)) - 1) * LEADING + ASCENT + DESCENT) * FONT + GAP
    placed: list[Label] = []
    for label in labels:
        for r in count():
            moved = label.at(y=baseline + r * row)
            if not any(overlap(moved.box(), p.box()) for p in placed):
                placed.append(moved)
                break
    if len({label.y for label in placed}) <= 2:
        return placed
    # More than two rows no longer read as belonging to their bars: turned labels hanging below each bar do.
    turned = [Label((t,), x + (ASCENT - DESCENT) / 2 * FONT, top, "lab", "end", True).inside()
              for t, x in zip(short, xs)]
    return placed if collisions(turned) else turned


def legend_of(pairs: list[tuple[Fact, Figure]], bottom: float, gettext: Callable[[str], str],
              caption: str | None = None) -> tuple[list[Label], tuple[tuple[float, float, bool], ...]]:
    """Write the caption (the currency), and name the hatched and the solid bars when there are targets, above the
    drawing: on one line, or one line each."""
    kinds = {fact.kind for fact, _ in pairs}
    solid = {frozenset(): None, frozenset({"result"}): gettext("Result"), frozenset({"as_of"}): gettext("Total"),
             frozenset({"result", "as_of"}): gettext("Result or total")}[frozenset(kinds - {"target"})]
    entries: list[tuple[str, bool | None]] = [(caption, None)] if caption else []
    if "target" in kinds:
        entries += [(gettext("Target"), True)] + ([(solid, False)] if solid else [])
    widths = [(0 if swatch is None else SWATCH + 5) + text_em(text) * FONT for text, swatch in entries]
    one_line = sum(widths) + 14 * (len(entries) - 1) <= WIDTH - 2 * PAD
    line = (ASCENT + DESCENT) * FONT + GAP
    rows = 1 if one_line else len(entries)
    labels, swatches, x = [], [], float(PAD)
    for i, ((text, hatched), width) in enumerate(zip(entries, widths)):
        baseline = bottom - DESCENT * FONT - (rows - 1 - (0 if one_line else i)) * line
        x = x if one_line else PAD
        if hatched is not None:
            swatches.append((x, baseline - SWATCH + 1, hatched))
        labels.append(Label((text,), x + (0 if hatched is None else SWATCH + 5), baseline, "leg", "start"))
        x += width + 14
    return labels, tuple(swatches)
