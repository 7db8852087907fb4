"""The real content: zero errors, zero warnings, every quotation verified, every source cited."""

from __future__ import annotations

import json

import build
from conftest import CONTENT, LOCALE, TEMPLATES
from factsheet.pipeline import build as run_build


def test_real_content_strict(sources, tmp_path, capsys):
    assert build.main(["check", "--sources", str(sources), "--strict"]) == 0
    out = capsys.readouterr()
    assert "warning" not in out.err
    assert "quotations verified" in out.out
    assert "Facts by source:" in out.out and "Facts by kind:" in out.out and "Facts by theme:" in out.out


def test_every_fact_cited_and_every_source_used(built):
    result, _ = built
    linked = result.linked
    assert linked.verified
    assert len(linked.site.facts) >= 200
    assert {f.citation.source for f in linked.site.facts} == set(linked.sources)
    for fact in linked.site.facts:
        assert fact.citation.quote and fact.citation.quote_en, fact.id
        assert fact.id in linked.passage_of


def test_every_target_due_by_the_last_reported_year_has_a_plan_and_no_later_one_does(built):
    # The about page promises it: every target whose period ended by the end of 2024 (the last full year the
    # articles report) is paired with a later article's result or marked as having none; later targets are not due.
    linked = built[0].linked
    planned = {row.target.id for row in linked.plans}
    due = {f.id for f in linked.site.facts if f.kind == "target" and (f.period.end or f.period.start).year <= 2024}
    targets = {f.id for f in linked.site.facts if f.kind == "target"}
    assert due - planned == set(), "targets due by 2024 without a plan"
    assert planned - due == set(), "plans for targets not due by 2024"
    assert planned <= targets


def test_facts_json_export(site_dir, built):
    facts = json.loads((site_dir / "data" / "facts.json").read_text("utf-8"))
    assert len(facts) == len(built[0].linked.site.facts)
    for fact in facts:
        for key in ("id", "theme", "subject", "value", "unit", "qualifier", "period", "kind", "scope", "source",
                    "quote", "url"):
            assert key in fact, key
        assert set(fact["subject"]) == {"zh", "en"}
        page, anchor = fact["url"].split("#")
        assert (site_dir / page).is_file()
        assert f'id="{anchor}"' in (site_dir / page).read_text("utf-8")
    sources = json.loads((site_dir / "data" / "sources.json").read_text("utf-8"))
    assert {s["id"] for s in sources} == {"2022-04", "2023-03", "2024-02", "2024-03", "2025-03"}
    for s in sources:
        assert {"id", "headline", "date", "file", "sha256"} <= set(s)


def test_figures_shown_with_their_citation(site_dir, built):
    """Every fact appears on its theme page in both languages with a note linking to its passage."""
    linked = built[0].linked
    for lang in ("zh", "en"):
        pages = {}
        for fact in linked.site.facts:
            html = pages.setdefault(fact.theme, (site_dir / lang / f"{fact.theme}.html").read_text("utf-8"))
            assert f'id="f-{fact.id}"' in html, (lang, fact.id)
            passage = linked.passage_of[fact.id]
            assert f'source-{passage.source}.html#{passage.id}"' in html, (lang, fact.id)


def test_source_pages_give_the_series_line_as_printed_and_in_translation(site_dir, built):
    """A source's kicker (the series line over its headline) is printed in Chinese on both pages and translated on
    the English one, as its headline is: the English page must not say less."""
    from html import escape

    sources = [s for s in built[0].linked.site.sources if s.kicker]
    assert sources, "the real content has articles printed under a series line"
    for source in sources:
        zh = (site_dir / "zh" / f"source-{source.id}.html").read_text("utf-8")
        en = (site_dir / "en" / f"source-{source.id}.html").read_text("utf-8")
        assert source.kicker.zh in zh and source.kicker.zh in en, source.id
        assert escape(source.kicker.en, quote=False) in en, source.id
        assert escape(source.kicker.en, quote=False) not in zh, source.id


def test_source_pages_link_back_to_every_citing_figure(site_dir, built):
    linked = built[0].linked
    for lang in ("zh", "en"):
        for source_id, passages in linked.passages.items():
            html = (site_dir / lang / f"source-{source_id}.html").read_text("utf-8")
            for passage in passages:
                assert f'id="{passage.id}"' in html
                for item_id in passage.citing:
                    anchor = f"#f-{item_id}" if item_id in linked.facts else f"#m-{item_id}"
                    assert anchor + '"' in html, (lang, item_id)


def test_build_twice_in_process_is_identical(sources):
    a = run_build(CONTENT, TEMPLATES, LOCALE, sources, None, None)
    b = run_build(CONTENT, TEMPLATES, LOCALE, sources, None, None)
    assert a.pages == b.pages


def test_a_step_two_articles_record_with_one_date_says_so_on_both(site_dir, built):
    """Milestones linked by `same_as` with the same date are one step: each of the two timeline entries names the
    other article and links to its entry, in both languages (different dates are flagged as a disagreement)."""
    import re

    linked = built[0].linked
    pairs = [(m, linked.milestones[m.same_as]) for m in linked.site.milestones
             if m.same_as and linked.milestones[m.same_as].date == m.date]
    assert pairs, "the content links at least one step recorded twice with the same date"
    for lang, words in (("en", "The same step, also in:"), ("zh", "同一步骤另见：")):
        page = (site_dir / lang / "timelines.html").read_text("utf-8")
        for a, b in pairs:
            for this, other in ((a, b), (b, a)):
                entry = re.search(rf'<li id="m-{re.escape(this.id)}".*?</li>', page, re.S)
                assert entry, this.id
                assert words in entry.group() and f'href="timelines.html#m-{other.id}"' in entry.group(), (lang, this.id)


def test_every_milestone_note_is_shown_with_its_step_in_both_languages(site_dir, built):
    """A milestone's note says how its date or status was read from the article (“a few months ago” read as
    2023, “before the third quarter”): the timelines page and the print edition show it under the step, in both
    languages, so an inferred date never reads as a plain fact."""
    import html
    import re

    noted = [m for m in built[0].linked.site.milestones if m.note is not None]
    assert len(noted) >= 10, "the content's milestones carry notes"
    for lang in ("en", "zh"):
        for page in ("timelines.html", "print.html"):
            text = (site_dir / lang / page).read_text("utf-8")
            for ms in noted:
                entry = re.search(rf'<li id="m-{re.escape(ms.id)}".*?</li>', text, re.S)
                assert entry, (lang, page, ms.id)
                shown = re.search(r'<span class="sub note">(.*)</span>', entry.group(), re.S)
                assert shown, (lang, page, ms.id)
                words = html.unescape(re.sub(r"<[^>]+>", "", shown.group(1)))
                parts = re.split(r"\[\[[^\]]+\]\]", ms.note.get(lang))  # around each reference, made a link
                assert all(part.strip() in words for part in parts), (lang, ms.id, words)


def test_series_and_timelines_read_in_time_order_as_their_charts_do(site_dir, built):
    """A series lists its observations, and a project's timeline its steps, by the last day each names: the first
    quarter of 2022 before 2022, January 2022 before the first half of 2022 (the chart's time axis); the real
    content has both cases, and the timelines page shows the steps in that order."""
    import re

    linked = built[0].linked

    def last_day(date):
        return date.reading_key()[0]

    coarse_after_fine = 0
    for row in linked.series.values():
        ends = [last_day(f.period.end or f.period.start) for f in row.facts]
        assert ends == sorted(ends), row.id
        coarse_after_fine += any(a.period.start.year == b.period.start.year and a.period.start.precision != "year"
                                 and b.period.start.precision == "year" for a, b in zip(row.facts, row.facts[1:]))
    assert coarse_after_fine, "a series holds a part of a year and the whole year"
    page = (site_dir / "en" / "timelines.html").read_text("utf-8")
    for project, milestones in linked.project_milestones.items():
        if not milestones:
            continue  # a project named by figures only
        section = re.search(rf'<section class="project" id="p-{re.escape(project)}".*?</section>', page, re.S)
        assert section, project
        shown = re.findall(r'<li id="m-([^"]+)"', section.group())
        by_id = {m.id: m for m in milestones}
        ends = [last_day(by_id[i].date) for i in shown]
        assert shown and ends == sorted(ends), (project, shown)


def test_the_plans_summary_counts_the_records_of_the_data_too(site_dir, built):
    """A target two articles state is one line of the plans page but two rows of plans.csv: the summary gives both
    counts, so that a reader counting the download finds the page's figure explained."""
    import csv

    rows = list(csv.DictReader((site_dir / "data" / "plans.csv").read_text("utf-8-sig").splitlines()))
    assert len(rows) == len(built[0].linked.plans)
    for lang, words in (("en", f"{len(rows)} plan records in the data"), ("zh", f"数据中有{len(rows)}条计划记录")):
        assert words in (site_dir / lang / "plans.html").read_text("utf-8"), lang
