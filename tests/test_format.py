"""Locale formatting, in both languages: amounts with 万/亿, qualifiers, dates by precision."""

from __future__ import annotations

import pytest

from factsheet.format import format_amount, format_date, format_period
from factsheet.model import Date, Period
from factsheet.fields import parse_date


@pytest.mark.parametrize("value, unit, qualifier, counter, zh, en", [
    (220.38, "100m_yuan", "exact", "", "220.38亿元", "CNY 22.038 billion"),
    (2300, "100m_yuan", "about", "", "约2,300亿元", "about CNY 230 billion"),
    (8992, "10k_yuan", "exact", "", "8,992万元", "CNY 89.92 million"),
    (0.5, "10k_yuan", "exact", "", "0.5万元", "CNY 5,000"),
    ((2000, 3000), "10k_yuan", "exact", "", "2,000–3,000万元", "CNY 20–30 million"),
    (607, "count", "over", "家", "607家以上", "over 607"),
    (1000, "count", "over", "家", "1,000家以上", "over 1,000"),
    (7.0, "percent", "exact", "", "7%", "7%"),
    (16.2, "percent", "nearly", "", "近16.2%", "nearly 16.2%"),
    (1, "10k_person", "under", "", "不足1万人", "under 10,000 people"),
    (35, "10k_sq_m", "about", "", "约35万平方米", "about 350,000 m²"),
    (2918, "mu", "exact", "", "2,918亩", "2,918 mu"),
])
def test_amounts(value, unit, qualifier, counter, zh, en):
    assert format_amount(value, unit, qualifier, counter, "zh") == zh
    assert format_amount(value, unit, qualifier, counter, "en") == en


def test_never_a_bare_yen_sign():
    for unit in ("yuan", "10k_yuan", "100m_yuan"):
        assert "¥" not in format_amount(1, unit, "exact", "", "en")
        assert format_amount(1, unit, "exact", "", "en").startswith("CNY ")


@pytest.mark.parametrize("text, zh, en", [
    ("2024", "2024年", "2024"),
    ("2024-03", "2024年3月", "March 2024"),
    ("2024-03-15", "2024年3月15日", "15 March 2024"),
    ("2024-H1", "2024年上半年", "first half of 2024"),
    ("2024-H2", "2024年下半年", "second half of 2024"),
    ("2024-Q3", "2024年三季度", "third quarter of 2024"),
    ("2023-09-end", "2023年9月底", "end of September 2023"),
    ("2023-end", "2023年底", "end of 2023"),
    ("2024-early", "2024年初", "early 2024"),
])
def test_dates_by_precision(text, zh, en):
    date, problem = parse_date(text)
    assert problem == ""
    assert format_date(date, "zh") == zh
    assert format_date(date, "en") == en


def test_periods():
    span = Period(Date(2021), Date(2025))
    assert format_period(span, "zh") == "2021—2025年"
    assert format_period(span, "en") == "2021–2025"


@pytest.mark.parametrize("text", ["2024-13", "2023-02-29", "2024-H3", "2024-Q5", "24", "2024-03-15-end", "March"])
def test_bad_dates_rejected(text):
    date, problem = parse_date(text)
    assert date is None and problem


def test_date_order_places_parts_and_halves():
    keys = [parse_date(t)[0].sort_key() for t in ("2023", "2023-H1", "2023-03", "2023-Q3", "2023-09-end", "2024")]
    assert keys == sorted(keys)
