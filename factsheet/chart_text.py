"""The charts' units and texts: how wide a text is drawn (estimated from its characters, conservatively), where a
label may break into two lines, and each label's box, so that no two come too close (charts.py says why).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape

WIDTH = 320
"""Width of every drawing, in its own units."""
FONT = 14
"""Font size of every text, in the drawing's units."""
PAD = 6
"""White margin around the drawing."""
LEADING = 1.2
"""Line spacing inside a label, in em."""
ASCENT, DESCENT = 1.0, 0.3
"""A line's box above and below its baseline, in em: generous, for Latin and CJK fonts alike."""
GAP, GAP_X = 4, 10
"""Least white space between two texts one above the other, and side by side (wider than a space, so that two
labels never read as one); between a text and a bar it is GAP / 2."""
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
