"""Unit tests of stage 3's pieces: numbers in quotations, series conflicts, plans and their differences."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from conftest import FIXTURES, WITHOUT_SITE
from factsheet.link import _conflicts, link
from factsheet.quotes import han_to_number, numbers_in
from factsheet.load import load_content
from factsheet.model import Text
from factsheet.validate import validate


@pytest.mark.parametrize("text, value", [
    ("三", 3), ("十", 10), ("十五", 15), ("二十", 20), ("一百零八", 108), ("两千", 2000), ("三万五千", 35000),
    ("二〇二三", 2023), ("一亿", 100_000_000), ("万", 10_000), ("亿", 100_000_000), ("", None), ("三个", None),
    ("abc", None),
])
def test_han_to_number(text, value):
    assert han_to_number(text) == value


@pytest.mark.parametrize("quote, unit, expected", [
    ("一般公共预算收入达到220.38亿元", "", {220.38}),
    ("实现地区生产总值增长7%，总投资2,300亿元", "", {7.0, 2300.0}),
    ("引进落地三个项目", "", {3.0}),
    ("提前一年半完成", "", {1.0, 1.5}),
    ("提前半年完成", "", {0.5}),
    ("上半年新开工", "", set()),
    ("下半年", "", set()),
    ("排名全市第一", "rank", {1.0}),
    ("排名全省首位", "rank", {1.0}),
    ("排名全省首位", "", set()),
    ("十五个重点项目", "", {15.0}),
])
def test_numbers_in(quote, unit, expected):
    assert numbers_in(quote, unit) >= expected
    if not expected:
        assert not numbers_in(quote, unit), "no number is read into a word (上半年 is not half a year)"


def minimal():
    """The minimal fixture, validated."""
    return validate(load_content(FIXTURES / "minimal" / "content"))


def test_conflicts_are_figures_that_differ_for_the_same_period_kind_and_scope():
    site = minimal()
    fact = next(f for f in site.facts if f.id == "a-gdp-growth")
    same = dataclasses.replace(fact, id="b-gdp-growth")
    other = dataclasses.replace(fact, id="c-gdp-growth", value=8.3)
    later = dataclasses.replace(fact, id="d-gdp-growth", value=8.3, period=dataclasses.replace(
        fact.period, start=dataclasses.replace(fact.period.start, year=2024)))
    scoped = dataclasses.replace(fact, id="e-gdp-growth", value=9.0, scope="vr-creation-center")
    assert _conflicts([fact, same]) == ()
    assert _conflicts([fact, other]) == ("a-gdp-growth", "c-gdp-growth")
    assert _conflicts([fact, later]) == ()
    assert _conflicts([fact, scoped]) == ()


def test_plan_rows_carry_the_difference(tmp_path):
    from safety_cases import B_PROJECTS, outcome_fact, replace_in, second_source

    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "minimal", root, ignore=WITHOUT_SITE)
    second_source(root, "2024年实施重点项目320个。")
    outcome_fact(root, B_PROJECTS.replace("    unit: count\n", "    unit: count\n    counter: 个\n"))
    replace_in(root / "content" / "plans.yaml", "outcome: null\n    status: no_report",
               "outcome: b-key-projects\n    status: met")
    texts = {p.name: p.read_bytes() for p in (root / "sources").glob("*.txt")}
    linked = link(validate(load_content(root / "content")), texts)
    (row,) = linked.plans
    assert (row.target.id, row.outcome.id, row.difference) == ("a-key-projects", "b-key-projects", 5)
    assert row.plan.status == "met"


def test_link_memo_gives_what_a_fresh_link_gives():
    """`serve` passes link a memo of per-record findings; with it, link returns exactly what it returns without, and
    a record that changed (a new object) is checked again: a quotation no longer in the article is an error."""
    from factsheet.link import link as link_stage
    from factsheet.load import load_sources
    from factsheet.model import ContentErrors
    from factsheet.speed import ByIdentity

    root = FIXTURES / "minimal"
    texts = load_sources(root / "sources")
    reads = ByIdentity()
    memo: dict = {}
    site = validate(load_content(root / "content"), reads)
    plain = link_stage(site, texts)
    assert link_stage(site, texts, memo) == plain
    assert link_stage(validate(load_content(root / "content"), reads), texts, memo) == plain  # from the memo
    fact = site.facts[0]
    broken = dataclasses.replace(fact, citation=dataclasses.replace(fact.citation, quote="不在原文中的一句话"))
    edited = dataclasses.replace(site, facts=(broken, *site.facts[1:]))
    with pytest.raises(ContentErrors) as fresh:
        link_stage(edited, texts)
    with pytest.raises(ContentErrors) as memoised:
        link_stage(edited, texts, memo)
    assert [str(e) for e in memoised.value.errors] == [str(e) for e in fresh.value.errors]
    assert any(e.where == f"{fact.id}.quote" for e in fresh.value.errors)


def test_link_memo_keeps_passages_and_rows_only_while_their_records_are_the_same():
    """With the memo, a source's passages and an indicator's row are the very objects of the last call while their
    records are; an edited record (a new object) makes them again, equal to what a link without the memo makes."""
    from factsheet.link import link as link_stage
    from factsheet.load import load_sources

    root = FIXTURES / "minimal"
    texts = load_sources(root / "sources")
    site = validate(load_content(root / "content"))
    memo: dict = {}
    first = link_stage(site, texts, memo)
    again = link_stage(site, texts, memo)
    assert again.passages["a"] is first.passages["a"]
    def growth_row(linked):
        (row,) = [r for r in linked.rows["economy"] if r.id == "gdp-growth"]
        return row

    assert growth_row(again) is growth_row(first)
    revenue, growth = (next(f for f in site.facts if f.id == i) for i in ("a-revenue", "a-gdp-growth"))
    for old, new in [(revenue, dataclasses.replace(revenue, citation=dataclasses.replace(
                         revenue.citation, quote_en="Budget revenue came to CNY 22.038 billion"))),
                     (growth, dataclasses.replace(growth, subject=Text("地区生产总值增速", "GDP growth rate")))]:
        site = dataclasses.replace(site, facts=tuple(new if f is old else f for f in site.facts))
        memoised, plain = link_stage(site, texts, memo), link_stage(site, texts)
        assert memoised == plain
    assert memoised.passage_of["a-revenue"].quote_en == "Budget revenue came to CNY 22.038 billion"
    assert [f.subject.en for f in growth_row(memoised).facts if f.id == "a-gdp-growth"] == ["GDP growth rate"]
