"""Dates as precise as an article gives them (a year, a half, a quarter, a month, a day, with 初/中/底), and periods."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Literal

Precision = Literal["year", "half", "quarter", "month", "day"]
Part = Literal["", "early", "mid", "end"]


@dataclass(frozen=True, order=True, slots=True)
class Date:
    """A date as precise as the article gives it.

    Written in YAML as `2024`, `2024-H1`, `2024-Q3`, `2024-03`, `2024-03-15`,
    optionally followed by `-early`, `-mid` or `-end` on a year or month
    (`2023-09-end` is 2023年9月底, `2023-end` is 2023年底).
    """

    year: int
    month: int = 0
    """1–12, or 0 when not given."""
    day: int = 0
    """1–31, or 0 when not given."""
    precision: Precision = "year"
    half: int = 0
    """1 or 2 for a half-year (上半年/下半年)."""
    quarter: int = 0
    """1–4 for a quarter (一季度 … 四季度)."""
    part: Part = ""
    """Part of the year or month: early (初/上旬), mid (中旬/年中), end (底/末)."""

    def sort_key(self) -> tuple[int, int, int, int]:
        """Return a key placing the date at the start of the span it names, parts after."""
        month = self.month
        if self.half:
            month = (self.half - 1) * 6 + 1
        if self.quarter:
            month = (self.quarter - 1) * 3 + 1
        if self.precision == "year" and self.part:
            # 2024-end (年底) comes after 2024-03, not before it.
            month = {"early": 1, "mid": 6, "end": 12}[self.part]
        part = {"": 0, "early": 1, "mid": 2, "end": 3}[self.part]
        return (self.year, month, self.day, part)

    def reading_key(self) -> tuple:
        """Return a key ordering dates as a reader reads them, by the last day of the span each names: the first
        quarter of 2022 before 2022, January before the first half (early, mid or end of a year: January, June or
        December); dates ending on the same day as `sort_key` orders them.

        >>> dates = [Date(2022, precision="year"), Date(2022, precision="quarter", quarter=1),
        ...          Date(2022, precision="half", half=1), Date(2022, 1, precision="month"),
        ...          Date(2022, precision="year", part="end"), Date(2022, precision="year", part="early")]
        >>> [d.iso() for d in sorted(dates, key=Date.reading_key)]
        ['2022-01', '2022-early', '2022-Q1', '2022-H1', '2022', '2022-end']
        """
        last = self.span()[1]
        if self.precision == "year" and self.part:
            month = {"early": 1, "mid": 6, "end": 12}[self.part]
            last = datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])
        return (last, *self.sort_key())

    def span(self) -> tuple[datetime.date, datetime.date]:
        """Return the first and last day the date may mean (a part, such as 年底, narrows nothing: it is vague).

        >>> Date(2024, precision="half", half=2).span()
        (datetime.date(2024, 7, 1), datetime.date(2024, 12, 31))
        >>> Date(2024, 2, precision="month").span()[1]
        datetime.date(2024, 2, 29)
        """
        if self.precision == "day":
            day = datetime.date(self.year, self.month, self.day)
            return day, day
        first, months = {"month": (self.month, 1), "quarter": ((self.quarter - 1) * 3 + 1, 3),
                         "half": ((self.half - 1) * 6 + 1, 6)}.get(self.precision, (1, 12))
        last = first + months - 1
        return (datetime.date(self.year, first, 1),
                datetime.date(self.year, last, calendar.monthrange(self.year, last)[1]))

    def iso(self) -> str:
        """Return the date written back in the content syntax."""
        if self.precision == "half":
            text = f"{self.year}-H{self.half}"
        elif self.precision == "quarter":
            text = f"{self.year}-Q{self.quarter}"
        elif self.precision == "day":
            text = f"{self.year}-{self.month:02d}-{self.day:02d}"
        elif self.precision == "month":
            text = f"{self.year}-{self.month:02d}"
        else:
            text = f"{self.year}"
        return f"{text}-{self.part}" if self.part else text


@dataclass(frozen=True, slots=True)
class Period:
    """The time a figure is about: one date, or a span `2021/2025` (start/end)."""

    start: Date
    end: Date | None = None

    def iso(self) -> str:
        """Return the period in the content syntax."""
        return self.start.iso() + (f"/{self.end.iso()}" if self.end else "")

    def sort_key(self) -> tuple:
        """Return a key that orders periods by their end, then start, each by the last day it names
        (`Date.reading_key`): the first quarter of 2022 comes before 2022, as on a chart's time axis."""
        last = self.end or self.start
        return (last.reading_key(), self.start.reading_key())
