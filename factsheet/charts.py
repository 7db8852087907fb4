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

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from html import escape

from markupsafe import Markup

from .parts import Figure
from .format import format_list, format_period
from .model import UNITS, Fact, Row
from .chart_text import ASCENT, DESCENT, FONT, GAP, PAD, WIDTH, Label, text_em, wrap_to
from .chart_layout import (PLOT_H, TURNING_COST, Bar, _bounds, _edge_room, layout_bars, period_labels, slots_of,
                           value_scale)

PRINT_WIDTH_MM = 58
"""How wide print.css draws a chart (`.chart-fig`, `.chart`): FONT / WIDTH at this width must be at least 7 pt."""
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


# --- Drawing ----------------------------------------------------------------------------------------------------------


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
