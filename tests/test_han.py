"""Chinese text on English pages is marked lang="zh-Hans", in one place, piece by piece as pages stream out."""

from __future__ import annotations

import pytest


def test_no_unmarked_chinese_on_english_pages(site_dir):
    """Every run of Chinese on an English page sits inside a lang="zh-Hans" element."""
    from factsheet.han import mark_han

    for page in sorted((site_dir / "en").glob("*.html")):
        html = page.read_text("utf-8")
        assert mark_han(html) == html, page.name


@pytest.mark.parametrize("seed", range(3))
def test_mark_han_in_pieces_marks_as_the_whole_page(site_dir, monkeypatch, seed):
    """Pages are marked as Jinja generates them, cut before a tag; wherever the cuts fall (here: every piece of
    a random split, each piece its own batch), the result must be what marking the whole page gives."""
    import random

    from factsheet import han

    monkeypatch.setattr(han, "_batches", lambda pieces: ([piece] for piece in pieces))
    rng = random.Random(seed)
    # A Chinese page relabelled English: Chinese everywhere, some inside lang="zh-Hans" elements, script and title.
    html = (site_dir / "zh" / "print.html").read_text("utf-8").replace('<html lang="zh-Hans"', '<html lang="en"', 1)
    # ...and Chinese elements with markup inside, so that cuts fall inside them (and inside nested same-name tags).
    nested = '<div lang="zh-Hans"><p>第一段</p><div>第二段<b>粗</b>文字</div>尾</div><p>外面的字</p>\n'
    html = html.replace("</body>", nested * 50 + "</body>", 1)
    cuts = sorted(rng.sample(range(1, len(html)), len(html) // 40))
    pieces = [html[a:b] for a, b in zip([0] + cuts, cuts + [len(html)])]
    whole = han.mark_han(html)
    assert whole.count('<span lang="zh-Hans">') > html.count('<span lang="zh-Hans">') + 1000
    assert "".join(han.mark_han_pieces(pieces)) == whole


def test_mark_han_leaves_scripts_and_marked_text_alone():
    from factsheet.han import mark_han

    html = '<script type="application/ld+json">{"name": "崂山"}</script><p lang="zh-Hans">崂山<b>区</b></p>'
    assert mark_han(html) == html
    assert mark_han("<p>Laoshan 崂山区, 2024年3月</p>") == (
        '<p>Laoshan <span lang="zh-Hans">崂山区</span>, 2024<span lang="zh-Hans">年3月</span></p>')


PRINTED = ("(2025—2027年)", "(2024—2028年)", "国家虚拟现实创新中心(青岛)", "青岛日报社(集团)", "理论学习中心组(扩大)")
"""Names written with half-width brackets in the articles, kept as printed."""


def test_chinese_pages_punctuate_chinese_text_in_full_width(site_dir):
    """On Chinese pages a comma, colon, semicolon or bracket by Chinese text is the full-width one (，：；（）), also where a
    template joins parts (a headline and its date, a link and its words). Headlines stay as printed (one has a
    half-width colon) and quotations verbatim; scripts and charts' code are not our prose."""
    import re

    import yaml

    from conftest import ROOT

    sources = yaml.safe_load((ROOT / "content" / "sources.yaml").read_text("utf-8"))
    headlines = [s["headline"]["zh"] for s in (sources["sources"] if isinstance(sources, dict) else sources)]
    han = "\u3400-\u9fff"
    half = re.compile(f"[{han}）》”][,:;] ?[{han}0-9（《“]|[{han}] ?\\([^)]*\\)|\\([{han}][^)]*\\)")
    for page in sorted((site_dir / "zh").glob("*.html")):
        html = page.read_text("utf-8")
        text = re.sub(r"<(script|style|blockquote|q)\b.*?</\1>|<svg\b.*?</svg>", "", html, flags=re.S)
        text = re.sub(r"<[^>]+>", "", text)
        for headline in headlines:
            text = text.replace(headline, "")
        text = re.sub("“[^”]*”", "", text)  # words of an article quoted in a note
        for name in PRINTED:
            text = text.replace(name, "")
        found = half.findall(text)
        assert not found, f"{page.name}: {found[:5]}"
