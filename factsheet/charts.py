"""Small inline SVG bar charts for series: no JavaScript, legible in black and white."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Callable

from markupsafe import Markup

from .model import Row


@dataclass(frozen=True, slots=True)
class Chart:
    """A series drawn, or said in a sentence when a drawing would mislead."""

    svg: Markup | None
    """Inline SVG for the page, or None."""
    standalone: str | None
    """The same drawing as a self-contained .svg file's text, or None."""
    sentence: str | None
    """The statement shown instead of a drawing (constant series, ranks), or None."""

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 320, 150, 22, 34, 8


def series_chart(row: Row, figures: Sequence, lang: str, gettext: Callable[[str], str], source_line: str) -> Chart:
    """Return a series' chart."""
    svg = _bars(row, figures, lang, gettext)
    return Chart(svg, None, None)


def _bars(row: Row, figures, lang: str, gettext: Callable[[str], str]) -> Markup | None:
    """Return an SVG bar chart of a series (targets outlined and hatched, results solid), or None."""
    points = [(f, fig) for f, fig in zip(row.facts, figures) if not isinstance(f.value, tuple)]
    if len(points) < 2:
        return None
    top = max(float(f.value) for f, _ in points)
    low = min(float(f.value) for f, _ in points)
    if top <= 0 and low <= 0:
        return None
    scale = (HEIGHT - TOP - BOTTOM) / (top if low >= 0 else top - low)
    zero = HEIGHT - BOTTOM - (0 if low >= 0 else -low * scale)
    slot = (WIDTH - 2 * LEFT) / len(points)
    bar = min(44.0, slot * 0.6)
    chart_id = f"c-{row.id}"
    name = escape(row.name.get(lang))
    target_label = escape(gettext("target"))  # not inside an f-string, where pybabel extract cannot see it
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{name}</title>',
        f'<desc id="{chart_id}-d">' + escape("; ".join(
            f"{fig.period}: {fig.value} ({fig.kind})" for _, fig in points)) + "</desc>",
        f'<defs><pattern id="{chart_id}-h" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern></defs>',
        f'<line x1="{LEFT}" y1="{zero:.1f}" x2="{WIDTH - LEFT}" y2="{zero:.1f}" class="axis"/>',
    ]
    for i, (fact, fig) in enumerate(points):
        value = float(fact.value)
        x = LEFT + slot * i + (slot - bar) / 2
        y = zero - max(value, 0) * scale
        h = abs(value) * scale
        cls = "bar target" if fact.kind == "target" else "bar"
        fill = f' fill="url(#{chart_id}-h)"' if fact.kind == "target" else ""
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{max(h, 1):.1f}" class="{cls}"{fill}/>')
        cx = x + bar / 2
        parts.append(f'<text x="{cx:.1f}" y="{y - 5:.1f}" class="val">{escape(_short(fig.value))}</text>')
        label = fig.period if len(fig.period) <= 12 else fig.period[:11] + "…"
        parts.append(f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 14}" class="lab">{escape(label)}</text>')
        if fact.kind == "target":
            parts.append(f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 27}" class="lab">{target_label}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(text: str) -> str:
    """Drop a leading currency code so bar labels stay short."""
    return text.removeprefix("CNY ").removeprefix("USD ")
