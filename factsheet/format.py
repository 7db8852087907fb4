"""Locale formatting of values, dates and periods — the only place numbers become text.

Every function takes an explicit `lang`; Babel `Locale` objects stay inside this module.

>>> format_amount(220.38, "100m_yuan", "exact", "", "zh"), format_amount(220.38, "100m_yuan", "exact", "", "en")
('220.38亿元', 'CNY 22.038 billion')
>>> format_amount(607, "count", "over", "家", "zh"), format_amount(607, "count", "over", "家", "en")
('607家以上', 'over 607')
>>> format_date(Date(2024, 0, 0, "half", half=1), "zh"), format_date(Date(2024, 0, 0, "half", half=1), "en")
('2024年上半年', 'first half of 2024')
>>> format_date(Date(2024, 3, 0, "month"), "en", short=True), format_date(Date(2022, 0, 0, "quarter", quarter=1), "en", short=True)
('Mar 2024', 'Q1 2022')
>>> format_list(["2023年", "2024年"], "zh"), format_list(["2022", "2023", "2024"], "en")
('2023年和2024年', '2022, 2023 and 2024')
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.lists import format_list as babel_format_list
from babel.numbers import format_decimal

from .languages import LANGUAGES
from .model import UNIT_SCALE, UNITS, Date, Period

LOCALES = {language.code: Locale.parse(language.locale) for language in LANGUAGES}
QUALIFIER_PATTERNS = {
    "zh": {"exact": "{}", "over": "{}以上", "about": "约{}", "nearly": "近{}", "under": "不足{}"},
    "en": {"exact": "{}", "over": "over {}", "about": "about {}", "nearly": "nearly {}", "under": "under {}"},
}
EN_SCALES = ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
EN_SINGULAR = {"person": ("people", "person"), "person_time": ("visits", "visit"), "year": ("years", "year"),
               "month": ("months", "month"), "day": ("days", "day"), "hour": ("hours", "hour"),
               "percentage_point": ("points", "point")}
"""English unit words that change for a value of exactly 1."""
HALF_OF = {"zh": {"year": "半年", "month": "半个月", "day": "半天", "hour": "半小时"},
           "en": {"year": "half a year", "month": "half a month", "day": "half a day", "hour": "half an hour"}}
"""How a duration of one half is written (提前半年: half a year ahead, never "0.5 years")."""
ZH_HALVES = {1: "上半年", 2: "下半年"}
ZH_QUARTERS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
EN_HALVES = {1: "first half of {}", 2: "second half of {}"}
EN_QUARTERS = {1: "first quarter of {}", 2: "second quarter of {}", 3: "third quarter of {}",
               4: "fourth quarter of {}"}
ZH_PARTS = {"early": "初", "mid": "中", "end": "底"}
EN_PARTS = {"early": "early {}", "mid": "mid-{}", "end": "end of {}"}
EN_SHORT_HALVES = {1: "H1 {}", 2: "H2 {}"}
EN_SHORT_QUARTERS = {1: "Q1 {}", 2: "Q2 {}", 3: "Q3 {}", 4: "Q4 {}"}
"""Abbreviated English halves and quarters, for a chart's axis only (tables and prose write them out)."""


COUNT_WORDS = {
    "zh": ("零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十"),
    "en": ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
}
"""How prose writes a small count (CLDR's spell-out rules, which Babel does not carry, for 0–10)."""


def format_count(count: int, lang: str) -> str:
    """Write a count as prose does: in words up to ten, in digits above.

    >>> format_count(5, "zh"), format_count(5, "en"), format_count(12, "en"), format_count(1200, "zh")
    ('五', 'five', '12', '1,200')
    """
    return COUNT_WORDS[lang][count] if 0 <= count <= 10 else format_number(count, lang)


def format_number(value: float | Decimal, lang: str) -> str:
    """Format a number with the locale's grouping and decimal sign, keeping every stated digit."""
    return _format_digits(str(_decimal(value)), lang)


@lru_cache(maxsize=65536)
def _format_digits(digits: str, lang: str) -> str:
    """Format a decimal number given as text (Babel takes ≈10 µs a call; figures repeat across pages).

    Keyed by text, not by value: Decimal("1.0") and Decimal("1.00") are equal but are written differently.
    """
    return format_decimal(Decimal(digits), locale=LOCALES[lang], decimal_quantization=False)


@lru_cache(maxsize=4096)
def format_amount(value: float | tuple[float, float], unit: str, qualifier: str, counter: str, lang: str) -> str:
    """Format a stated value with its unit and qualifier: 220.38亿元, CNY 22.038 billion, over 607.

    >>> format_amount(0.5, "year", "exact", "", "en"), format_amount(0.5, "year", "about", "", "zh")
    ('half a year', '约半年')
    """
    values = value if isinstance(value, tuple) else (value,)
    if values == (0.5,) and unit in HALF_OF[lang]:
        return QUALIFIER_PATTERNS[lang][qualifier].format(HALF_OF[lang][unit])
    if lang == "en" and unit in UNIT_SCALE:
        scaled = [_decimal(v) * UNIT_SCALE[unit] for v in values]
        word = next((name for size, name in EN_SCALES if min(scaled) >= size), "")
        size = next((size for size, name in EN_SCALES if name == word), Decimal(1))
        number = "–".join(format_number(v / size, lang) for v in scaled)
        number = f"{number} {word}" if word else number
    else:
        number = "–".join(format_number(v, lang) for v in values)
    text = UNITS[unit].get(lang).format(number)
    if lang == "zh" and unit == "count":
        text += counter
    if lang == "en" and values == (1,) and unit in EN_SINGULAR:
        text = text.replace(*EN_SINGULAR[unit])
    return QUALIFIER_PATTERNS[lang][qualifier].format(text)


@lru_cache(maxsize=4096)
def format_date(date: Date, lang: str, short: bool = False) -> str:
    """Format a date as precisely as it is known: 2024年3月 / March 2024, 2024年上半年 / first half of 2024.

    `short` abbreviates English months, halves and quarters (Mar 2024, H1 2024, Q1 2022), for a chart's axis
    labels only; Chinese is already short and stays as it is.
    """
    year = str(date.year)
    if lang == "zh":
        if date.precision == "half":
            return f"{year}年{ZH_HALVES[date.half]}"
        if date.precision == "quarter":
            return f"{year}年{ZH_QUARTERS[date.quarter]}"
        text = f"{year}年"
        if date.month:
            text += f"{date.month}月"
        if date.day:
            text += f"{date.day}日"
        if date.part:
            text += ("年" if not date.month and date.part == "mid" else "") + ZH_PARTS[date.part]
        return text
    if date.precision == "half":
        return (EN_SHORT_HALVES if short else EN_HALVES)[date.half].format(year)
    if date.precision == "quarter":
        return (EN_SHORT_QUARTERS if short else EN_QUARTERS)[date.quarter].format(year)
    if date.precision == "day":
        day = datetime.date(date.year, date.month, date.day)
        text = (format_skeleton("yMMMd", day, locale=LOCALES["en"]) if short
                else babel_format_date(day, "long", locale=LOCALES["en"]))
    elif date.precision == "month":
        text = format_skeleton("yMMM" if short else "yMMMM", datetime.date(date.year, date.month, 1),
                               locale=LOCALES["en"])
    else:
        text = year
    return EN_PARTS[date.part].format(text) if date.part else text


def format_period(period: Period, lang: str, short: bool = False) -> str:
    """Format a period: one date, or a span written as CLDR's interval formats write it, the shared year once;
    `short` as for `format_date`.

    >>> p = Period(Date(2022, 1, precision="month"), Date(2022, 4, precision="month"))
    >>> format_period(p, "zh"), format_period(p, "en")
    ('2022年1月至4月', 'January–April 2022')
    >>> p = Period(Date(2022, 11, precision="month"), Date(2023, 4, precision="month"))
    >>> format_period(p, "zh"), format_period(p, "en")
    ('2022年11月至2023年4月', 'November 2022–April 2023')
    >>> format_period(Period(Date(2021), Date(2025)), "zh"), format_period(Period(Date(2021), Date(2025)), "en")
    ('2021—2025年', '2021–2025')
    """
    if period.end is None:
        return format_date(period.start, lang, short)
    start, end = period.start, period.end
    plain = not start.part and not end.part
    if lang == "zh":
        if start.precision == end.precision == "year" and plain:
            return f"{start.year}—{end.year}年"
        if start.precision == end.precision == "month" and plain and start.year == end.year:
            return f"{start.year}年{start.month}月至{end.month}月"
        return f"{format_date(start, lang)}至{format_date(end, lang)}"
    if start.precision == end.precision == "month" and plain and start.year == end.year:
        first = babel_format_date(datetime.date(start.year, start.month, 1), "LLL" if short else "LLLL",
                                  locale=LOCALES["en"])
        return f"{first}–{format_date(end, lang, short)}"
    return f"{format_date(start, lang, short)}–{format_date(end, lang, short)}"


def format_list(items: list[str], lang: str) -> str:
    """Join items as the language lists them: 2023年、2024年和2025年 / 2023, 2024, and 2025."""
    return babel_format_list(items, locale=LOCALES[lang])


def _decimal(value: float | Decimal) -> Decimal:
    """Convert a YAML number to a Decimal without binary floating-point noise."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value)).normalize()  # repr gives the shortest text that round-trips: 220.38
    return Decimal(value)
