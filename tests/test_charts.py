"""Charts: geometry (time, side by side, tiny, zero, negative), sentences, the standalone file, and, in Chromium, that
no two texts of any chart overlap or leave the drawing, in either language, and that chart text prints at 7 pt or more.

The browser tests measure every chart of the real site and a set of made-up edge cases (the EDGES below, which are
not content: their numbers exist only here); a deliberately broken chart shows that the same check can fail.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest

from conftest import LOCALE, TEMPLATES
from factsheet import charts
from factsheet.chart_layout import BAR_GAP, MIN_BAR_H, Bar, broken_gap
from factsheet.chart_text import FONT, GAP, WIDTH
from factsheet.charts import PRINT_WIDTH_MM, series_chart
from factsheet.parts import Figure
from factsheet.format import format_amount, format_period
from factsheet.model import Citation, Fact, Loc, Period, Row, Text
from factsheet.templating import LABELS, load_translations
from factsheet.fields import parse_date

SVG = "{http://www.w3.org/2000/svg}"
SOURCE = {"zh": "来源：2022年4月和2024年3月的报道 · 崂山区数据简报",
          "en": "Source: articles of April 2022 and March 2024 · Laoshan District Fact Sheet"}


# --- Made-up series ---------------------------------------------------------------------------------------------------

def period(text: str) -> Period:
    """Parse `2024-03` or `2022/2026` as the content does."""
    start, _, end = text.partition("/")
    return Period(parse_date(start)[0], parse_date(end)[0] if end else None)


def series(name: str, unit: str, *points: tuple) -> Row:
    """Make a series of (value, period[, kind[, qualifier]]) observations."""
    facts = []
    for i, (value, when, *rest) in enumerate(points):
        kind, qualifier = (list(rest) + ["result", "exact"][len(rest):])[:2]
        facts.append(Fact(f"t-{name}-{i}", "economy", Text("主题", "subject"), value, unit, qualifier, period(when),
                          kind, "district", Citation("s", "q", "q"), "家" if unit == "count" else "", None, name, None,
                          Loc("test.yaml", i + 1)))
    return Row(name, "economy", Text(f"测试{name}", f"Test {name}"), unit, tuple(facts), None, ())


@cache
def gettext(lang: str):
    """Return a language's catalog lookup, as the build uses it."""
    return load_translations(LOCALE, lang)[0].gettext


def figures(row: Row, lang: str) -> tuple[Figure, ...]:
    """Format a series' facts as a page would."""
    return tuple(Figure(f.id, f"f-{f.id}", "#", format_amount(f.value, f.unit, f.qualifier, f.counter, lang),
                        format_period(f.period, lang), gettext(lang)(LABELS[f.kind]), f.kind, "", None, None, None,
                        1, False, "report", None) for f in row.facts)


def chart(row: Row, lang: str = "en") -> charts.Chart:
    """Chart a made-up series as a page would."""
    return series_chart(row, figures(row, lang), lang, gettext(lang), SOURCE[lang])


def drawing(row: Row, lang: str = "en") -> charts.Drawing:
    """Lay out a made-up series, for its geometry."""
    return charts.draw(row, list(zip(row.facts, figures(row, lang))), lang, gettext(lang), SOURCE[lang])


def centres(d: charts.Drawing) -> list[float]:
    """Return the centre of each period's group of bars, left to right."""
    slots: dict[int, list[Bar]] = {}
    for bar in d.bars:
        slots.setdefault(bar.slot, []).append(bar)
    return [(group[0].x + group[-1].x + group[-1].w) / 2 for _, group in sorted(slots.items())]


EDGES = {
    "gaps": series("gaps", "count", (628, "2022-04", "as_of"), (920, "2024-03", "as_of"), (1000, "2024-12", "as_of")),
    "shared": series("shared", "percent", (10, "2023", "target", "over"), (16.2, "2023")),
    "tiny": series("tiny", "100m_yuan", (1, "1994", "result", "under"), (220.38, "2023")),
    "zero": series("zero", "count", (0, "2022"), (35, "2023"), (0.1, "2024")),
    "negative": series("negative", "percent", (6.1, "2021"), (-3.5, "2022"), (0, "2023"), (4.4, "2024")),
    "break": series("break", "100m_yuan", (1, "1994"), (210, "2022"), (220.38, "2023"), (231, "2024")),
    "crowded": series("crowded", "10k_person_time", (12.5, "2022-Q1"), (30, "2022-H1", "target", "about"),
                      (44.25, "2022-09-end"), (61, "2022-end", "target", "nearly"), (58.5, "2022-12"),
                      (70, "2023-Q1", "target", "over"), (72.75, "2023-03")),
    "range": series("range", "100m_yuan", ((150, 200), "2022/2026", "target"), (120, "2021"), (160.5, "2023")),
    "span": series("span", "percent", (82.6, "2021"), (85, "2022/2026", "target", "over")),
    "coincide": series("coincide", "count", (10, "2005-02"), (30, "2005-Q1")),
}
"""Made-up series for the cases the real content has too few of (their numbers exist only here)."""


# --- Geometry ---------------------------------------------------------------------------------------------------------

def test_periods_stand_in_proportion_to_time():
    """April 2022 → March 2024 (23 months) and → December 2024 (9 months): distances 23:9 within a pixel."""
    a, b, c = centres(drawing(EDGES["gaps"]))
    assert abs((b - a) - (c - b) * 23 / 9) < 1


def test_end_of_a_year_stands_in_december(built):
    """The real high-tech enterprises series: 年底 is drawn in December, not in the middle of the year."""
    row = next(r for rows in built[0].linked.rows.values() for r in rows if r.id == "high-tech-enterprises")
    a, b, c = centres(drawing(row))
    assert abs((b - a) - (c - b) * 23 / 9) < 1


def test_two_periods_centred_on_one_moment_stand_apart():
    """February and the first quarter share a midpoint: no time passes between the slots, yet both are drawn,
    apart (this divided by zero)."""
    d = drawing(EDGES["coincide"])
    (a, wa), (b, wb) = sorted((bar.x, bar.w) for bar in d.bars)
    assert a + wa <= b and [label.lines for label in d.labels if label.cls == "val"] == [("10",), ("30",)]


def test_observations_of_one_period_stand_side_by_side():
    d = drawing(EDGES["shared"])
    target, result = d.bars
    assert result.x - (target.x + target.w) == pytest.approx(BAR_GAP)
    assert (target.x + result.x + result.w) / 2 == pytest.approx(WIDTH / 2)
    assert target.fact.kind == "target" and result.fact.kind == "result"


def test_side_by_side_bars_are_centred_on_their_period():
    """Three of one period (the real high-tech series' end of 2024) are centred where one would stand."""
    row = series("trio", "count", (628, "2022-04"), (920, "2024-03"), (1000, "2024-12", "target"),
                 (1000, "2024-12", "target"), (1000, "2024-12", "as_of"))
    single = series("single", "count", (628, "2022-04"), (920, "2024-03"), (1000, "2024-12"))
    trio, one = drawing(row), drawing(single)
    # Both lay out time between the same insets only if their end slots need the same room; compare proportions.
    (a, b, c), (x, y, z) = centres(trio), centres(one)
    assert (b - a) / (c - b) == pytest.approx((y - x) / (z - y), abs=.01)


def test_a_tiny_value_is_seen_and_labelled_exactly():
    d = drawing(EDGES["tiny"])
    tiny = d.bars[0]
    assert tiny.h >= MIN_BAR_H
    assert [label.lines for label in d.labels if label.cls == "val"] == [("under 100 million",), ("22.038 billion",)]
    assert ("Amounts in CNY",) in [label.lines for label in d.labels]  # the currency, once
    assert "1994: under CNY 100 million (Result)" in d.desc
    zh = drawing(EDGES["tiny"], "zh")
    assert [label.lines for label in zh.labels if label.cls == "val"] == [("不足1亿元",), ("220.38亿元",)]


def test_crowded_labels_turn_to_read_upwards_rather_than_climb():
    d = drawing(EDGES["crowded"])
    values = [label for label in d.labels if label.cls == "val"]
    assert all(label.turned for label in values)
    for label, bar in zip(values, sorted(d.bars, key=lambda b: b.x)):
        assert label.box()[3] == pytest.approx(bar.y - GAP)  # each on its own bar
    assert not any(label.turned for label in drawing(EDGES["shared"]).labels)


def test_zero_is_a_mark_on_the_zero_line():
    d = drawing(EDGES["zero"])
    zero = next(b for b in d.bars if b.zero)
    svg = d.svg(standalone=False)
    assert '<line' in svg and 'class="zero"' in svg
    assert re.search(r'class="val">0</text>', svg)
    assert d.bars[-1].h >= MIN_BAR_H and zero.y == pytest.approx(d.bars[-1].y + d.bars[-1].h)


def test_negative_values_hang_below_the_zero_line_labelled_underneath():
    d = drawing(EDGES["negative"])
    zero_y = d.axis[0][1]
    fall = next(b for b in d.bars if b.negative)
    assert fall.y == pytest.approx(zero_y) and fall.h > 10
    assert all(b.y + b.h == pytest.approx(zero_y) for b in d.bars if not b.negative and not b.zero)
    label = next(lab for lab in d.labels if lab.lines == ("-3.5%",))
    assert label.box()[1] >= fall.y + fall.h


def test_an_extreme_gap_is_drawn_broken():
    """1994 … 2022, 2023, 2024: the 28-year gap is drawn short with a break mark, and the rest in proportion."""
    d = drawing(EDGES["break"])
    assert len(d.axis) == 4  # the zero line in two pieces and two slanted strokes
    a, b, c, e = centres(d)
    assert c - b == pytest.approx(e - c, abs=.5)
    assert c - b > 30
    assert broken_gap([0, 10, 11, 12]) == 0 and broken_gap([0, 23, 32]) is None


def test_targets_are_hatched_with_a_dashed_outline_and_named_in_a_legend():
    svg = drawing(EDGES["shared"]).svg(standalone=False)
    target = re.search(r'<rect[^>]*class="bar target"[^>]*>', svg)[0]
    assert 'fill="url(#c-shared-h)"' in target and "stroke-dasharray" in target
    assert 'class="bar solid"' in svg
    assert ">Target</text>" in svg and ">Result</text>" in svg
    assert ">Target</text>" not in drawing(EDGES["tiny"]).svg(standalone=False)


def test_a_range_is_a_floating_bar():
    d = drawing(EDGES["range"])
    bar = next(b for b in d.bars if isinstance(b.fact.value, tuple))
    zero_y = d.axis[0][1]
    assert bar.y + bar.h < zero_y - 10  # floats: its bottom is the low end, not zero


def test_the_description_lists_every_point():
    c = chart(EDGES["shared"])
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", c.svg)[1]
    assert desc == "2023: over 10% (Target); 2023: 16.2% (Result)"
    zh = chart(EDGES["shared"], "zh")
    assert re.search(r"<desc[^>]*>(.*?)</desc>", zh.svg)[1] == "2023年：10%以上（目标）；2023年：16.2%（结果）"


def test_every_chart_carries_its_source_line():
    for lang in ("zh", "en"):
        c = chart(EDGES["gaps"], lang)
        lines = re.findall(r">([^<>]+)</t", re.search(r'<text[^>]*class="src".*?</text>', c.svg)[0])
        assert ("" if lang == "zh" else " ").join(lines) == SOURCE[lang]  # broken at a space, or between characters


# --- Sentences --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, expected", [
    ("en", "7 in every report: total as of end of 2022, March 2024 and March 2025."),
    ("zh", "每次报道均为7家：截至2022年底、2024年3月和2025年3月。"),
])
def test_a_constant_series_is_said_not_drawn(lang, expected):
    row = series("flat", "count", (7, "2022-end", "as_of"), (7, "2024-03", "as_of"), (7, "2025-03", "as_of"))
    c = chart(row, lang)
    assert (c.svg, c.standalone, c.sentence) == (None, None, expected)


@pytest.mark.parametrize("lang, expected", [
    ("en", "No. 1 in every report: target for 2023 and 2024; result for 2024."),
    ("zh", "每次报道均为第1：2023年和2024年目标；2024年结果。"),
])
def test_a_rank_is_said_not_drawn(lang, expected):
    row = series("rank", "rank", (1, "2023", "target"), (1, "2024", "target"), (1, "2024"))
    c = chart(row, lang)
    assert (c.svg, c.standalone, c.sentence) == (None, None, expected)


def test_a_changing_rank_is_said_too():
    row = series("climb", "rank", (3, "2022"), (1, "2024"))
    assert chart(row).sentence == "Rank in each report: No. 3 (result for 2022); No. 1 (result for 2024)."
    assert chart(row, "zh").sentence == "各次报道的排名：第3（2022年结果）；第1（2024年结果）。"


def test_equal_numbers_stated_differently_are_said_as_stated():
    row = series("same", "count", (100, "2022", "target"), (100, "2023", "target", "over"),
                 (100, "2024", "target", "over"))
    assert chart(row).sentence == ("The same number in every report: 100 (target for 2022); "
                                   "over 100 (target for 2023 and 2024).")
    assert chart(row).sentence[0].isupper()


def test_a_sentence_starts_with_a_capital():
    row = series("over", "count", (20, "2024", "target", "over"), (20, "2024", "target", "over"))
    assert chart(row).sentence == "Over 20 in every report: target for 2024."


# --- The SVG as a file and on the page ------------------------------------------------------------------------------

def test_the_standalone_file_is_svg_1_1_with_its_own_style_and_source_line():
    c = chart(EDGES["gaps"])
    assert c.standalone.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    root = ET.fromstring(c.standalone.encode("utf-8"))
    assert root.tag == f"{SVG}svg" and root.get("version") == "1.1"
    assert [child.tag for child in root][:3] == [f"{SVG}title", f"{SVG}desc", f"{SVG}style"]
    style = root.find(f"{SVG}style")
    assert style.get("type") == "text/css" and ".solid" in style.text and "font-family" in style.text
    assert "role" not in root.attrib and not any(k.startswith("aria") for k in root.attrib)  # not SVG 1.1
    source = root.find(f".//{SVG}text[@class='src']")
    assert " ".join(t.strip() for t in source.itertext()) == SOURCE["en"]


@pytest.mark.parametrize("name", sorted(EDGES))
def test_the_standalone_file_uses_only_svg_1_1(name):
    """Only SVG 1.1 elements and attributes (what Inkscape and other editors read), whatever the chart draws."""
    elements = {"svg", "title", "desc", "style", "rect", "defs", "pattern", "line", "text", "tspan"}
    attributes = {"version", "class", "viewBox", "width", "height", "font-size", "text-anchor", "id", "type", "x", "y",
                  "x1", "y1", "x2", "y2", "dy", "fill", "stroke", "stroke-width", "stroke-dasharray", "patternUnits",
                  "patternTransform", "transform"}
    for lang in ("zh", "en"):
        root = ET.fromstring(chart(EDGES[name], lang).standalone.encode("utf-8"))
        for element in root.iter():
            assert element.tag.removeprefix(SVG) in elements
            assert set(element.attrib) <= attributes, element.tag


def test_the_inline_svg_is_the_same_drawing():
    c = chart(EDGES["crowded"])
    strip = re.compile(r"<\?xml[^>]*>\s*|<style.*?</style>|<rect x=\"0\" y=\"0\"[^>]*/>|<svg[^>]*>", re.S)
    assert strip.sub("", c.svg) == strip.sub("", c.standalone)
    assert c.svg.startswith('<svg class="chart" ')  # pdf.py adds CHART_CSS after this opening tag
    assert 'role="img"' in c.svg and 'aria-labelledby="c-crowded-t c-crowded-d"' in c.svg


def test_the_site_draws_series_with_their_sources_and_says_ranks(site_dir):
    """pages.py passes each chart its articles' dates and the site's title, and shows a sentence where one is said."""
    page = (site_dir / "en" / "innovation.html").read_text("utf-8")
    svg = re.search(r'<svg class="chart"[^>]*"c-high-tech-enterprises-t.*?</svg>', page, re.S)[0]
    source = re.search(r'<text[^>]*class="src".*?</text>', svg)[0]
    assert " ".join(re.findall(r">([^<>]+)</t", source)) == (
        "Source: articles of April 2022, February 2024, March 2024 and March 2025 · Laoshan District Fact Sheet")
    industry = (site_dir / "zh" / "industry.html").read_text("utf-8")
    # The articles word this rank ("持续领跑全市", "保持全市首位"): the sentence gives their words, not a number.
    assert ('<p class="chart-sentence">各次报道的排名：持续领跑全市（2023年目标，2024年结果）；'
            '保持全市首位（2024年目标）。</p>') in industry
    assert "c-digital-economy-share-rank" not in industry


def test_ids_are_unique_on_every_page(site_dir):
    for page in sorted(site_dir.rglob("*.html")):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text("utf-8"))
        assert len(ids) == len(set(ids)), (page.name, sorted({i for i in ids if ids.count(i) > 1}))


def test_english_charts_hold_no_chinese(site_dir):
    """English pages mark Chinese with <span lang>: inside an SVG that would break the drawing out of it."""
    for page in sorted((site_dir / "en").glob("*.html")):
        for svg in re.findall(r'<svg class="chart".*?</svg>', page.read_text("utf-8"), re.S):
            assert not re.search(r"[\u3400-\u9fff]", svg), page.name


def test_chart_text_prints_at_7_pt_or_more_and_shows_at_11_px():
    printed_pt = FONT * (PRINT_WIDTH_MM / 25.4 * 72) / WIDTH
    assert printed_pt >= 7 and FONT >= 11
    print_css = (TEMPLATES / "print.css").read_text("utf-8")
    assert re.search(rf"\.chart \{{ width: {PRINT_WIDTH_MM}mm;", print_css)
    for css in (print_css, (TEMPLATES / "style.css").read_text("utf-8")):
        assert not re.search(r"\.chart text \{[^}]*font-size", css)  # the chart's own size is what its layout measured


# --- In Chromium --------------------------------------------------------------------------------------------------------

TEXT_BOXES = """
() => Array.from(document.querySelectorAll('svg.chart')).map(svg => {
  const vb = svg.viewBox.baseVal, frame = svg.getBoundingClientRect(), k = vb.width / frame.width;
  return {id: svg.querySelector('title').id, view: [vb.x, vb.y, vb.width, vb.height],
          texts: Array.from(svg.querySelectorAll('text')).map(t => {
            const b = t.getBoundingClientRect();
            return {text: t.textContent,
                    box: [(b.left - frame.left) * k + vb.x, (b.top - frame.top) * k + vb.y, b.width * k, b.height * k]};
          })};
})
"""
"""Every chart's viewBox and the box of each of its texts as drawn (turned ones included), in the chart's units."""


def text_problems(charts_found: list[dict]) -> list[str]:
    """Return every pair of texts of a chart whose boxes intersect, and every text that leaves its viewBox."""
    problems = []
    for found in charts_found:
        vx, vy, vw, vh = found["view"]
        texts = found["texts"]
        for t in texts:
            x, y, w, h = t["box"]
            if x < vx - .5 or y < vy - .5 or x + w > vx + vw + .5 or y + h > vy + vh + .5:
                problems.append(f"{found['id']}: {t['text']!r} leaves the drawing")
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                (ax, ay, aw, ah), (bx, by, bw, bh) = a["box"], b["box"]
                if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
                    problems.append(f"{found['id']}: {a['text']!r} overlaps {b['text']!r}")
    return problems


def measure(browser, url: str, width: int = 1280, media: str = "screen") -> list[dict]:
    """Open a page and return its charts' text boxes."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.emulate_media(media=media)
        page.goto(url)
        return page.evaluate(TEXT_BOXES)
    finally:
        page.close()


def gallery(tmp_path: Path, svgs: list[str], lang: str) -> str:
    """Write the SVGs onto a page styled by the site's stylesheet; return its address."""
    (tmp_path / "style.css").write_bytes((TEMPLATES / "style.css").read_bytes())
    page = tmp_path / f"gallery-{lang}.html"
    page.write_text(f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><link rel="stylesheet" href="style.css">'
                    f'<body>{"".join(svgs)}</body></html>', "utf-8")
    return page.as_uri()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_overlaps_in_any_chart_of_the_site(browser, site_dir, lang):
    pages = [p for p in sorted((site_dir / lang).glob("*.html")) if '<svg class="chart"' in p.read_text("utf-8")]
    found = [chart for page in pages for chart in measure(browser, page.as_uri())]
    assert len(found) >= 20
    assert text_problems(found) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_overlaps_in_the_edge_cases(browser, tmp_path, lang):
    svgs = [chart(row, lang).svg for row in EDGES.values()]
    found = measure(browser, gallery(tmp_path, svgs, lang))
    assert len(found) == len(EDGES)
    assert text_problems(found) == []


def test_the_check_catches_two_labels_on_one_spot(browser, tmp_path):
    svg = str(chart(EDGES["gaps"]).svg)  # a str: Markup would escape what re.sub puts in
    first = re.search(r'<text x="([\d.]+)" y="([\d.]+)" class="val">', svg)
    bad = re.sub(r'(<text x=")[\d.]+(" y=")[\d.]+(" class="val">920<)',
                 lambda m: f"{m[1]}{first[1]}{m[2]}{first[2]}{m[3]}", svg)
    outside = re.sub(r'<text x="[\d.]+"( y="[\d.]+" class="val">628<)', r'<text x="316"\1', svg)
    assert bad != svg and outside != svg
    found = measure(browser, gallery(tmp_path, [bad, outside], "en"))
    problems = text_problems(found)
    assert any("'628' overlaps '920'" in p for p in problems)
    assert any("leaves the drawing" in p for p in problems)


def test_the_standalone_file_opens_in_a_browser(browser, tmp_path):
    path = tmp_path / "chart.svg"
    path.write_text(chart(EDGES["negative"], "zh").standalone, "utf-8")
    found = measure(browser, path.as_uri())
    assert len(found) == 1 and text_problems(found) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_text_measures_7_pt_or_more_in_print(browser, site_dir, lang):
    """In print media the chart is 58 mm wide: its text's size there, from the browser's own layout."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.emulate_media(media="print")
        page.goto((site_dir / lang / "innovation.html").as_uri())
        sizes = page.evaluate("""() => Array.from(document.querySelectorAll('svg.chart')).map(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return Array.from(svg.querySelectorAll('text')).map(
              t => parseFloat(getComputedStyle(t).fontSize) * scale * 0.75); }).flat()""")
        width_mm = page.evaluate("() => document.querySelector('svg.chart').getBoundingClientRect().width") * 25.4 / 96
    finally:
        page.close()
    assert width_mm == pytest.approx(PRINT_WIDTH_MM, abs=.1)
    assert sizes and min(sizes) >= 7
