"""Where a chart's bars and labels go: periods on a real time scale (with a broken gap where one would squeeze the
rest), bars as wide as the closest periods allow, value labels on their bars (or beside, above, or turned), and
period labels whole, abbreviated, wrapped, in two rows or turned (charts.py says in what order, and why).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from .chart_text import ASCENT, DESCENT, FONT, GAP, GAP_X, LEADING, PAD, WIDTH, Box, Label, collisions, overlap, wrapped
from .model import Date, Fact
from .parts import Figure

PLOT_H = 110
"""Height given to the span of values, zero included."""
MAX_BAR, MIN_BAR, BAR_GAP, SLOT_GAP = 40, 10, 4, 10
"""Bar widths, the space between the bars of one period and between periods."""
MIN_BAR_H = 3
"""Least height of a bar whose value is not zero, so that a tiny value is still seen."""
BREAK_RATIO, BREAK_W = 3, 84
"""A gap longer than BREAK_RATIO times all the other gaps together is drawn BREAK_W wide, with a break mark."""
TURNING_COST = 2
"""What turning every value label costs, against the cost of rising (`value_labels`): labels turn when more than one
would rise, or one would rise over another bar."""


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


def _bounds(value: float | tuple[float, float]) -> tuple[float, float]:
    """Return a value as (low, high): a range as it is, a number twice."""
    return (float(value[0]), float(value[1])) if isinstance(value, tuple) else (float(value), float(value))


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
