"""The PDF edition (`build.py --pdf`): both PDFs from the real content, read back with poppler's tools.

Needs the `[pdf]` extra, Debian's fonts-noto-cjk and poppler-utils: skipped without them, except under CI=true.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import zlib

import pytest

from conftest import CONTENT, LOCALE, ROOT, TEMPLATES
from factsheet.format import format_amount
from factsheet.pipeline import build

MAX_BYTES = 3 * 1024 * 1024
PAGES = {"zh": (15, 60), "en": (20, 80)}
"""Expected page counts: the whole fact sheet on A4, endnotes included, with room for the content to grow."""


def require(what: str, found: bool, hint: str) -> None:
    """Skip when a PDF tool is missing, except under CI, where it must be installed."""
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing under CI: {hint}")
    pytest.skip(f"{what} not installed ({hint})")


def require_weasyprint() -> None:
    """WeasyPrint and the CJK fonts, or skip (fail under CI)."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        require("WeasyPrint", False, "pip install -e '.[test,pdf]'")
    fonts = subprocess.run(["fc-list", ":family=Noto Sans CJK SC"], capture_output=True, text=True).stdout \
        if shutil.which("fc-list") else ""
    require("Noto Sans CJK SC", bool(fonts.strip()), "apt-get install fonts-noto-cjk")


def poppler(tool: str, *args: str) -> str:
    """Run one of poppler's command-line tools and return what it prints."""
    require(tool, shutil.which(tool) is not None, "apt-get install poppler-utils")
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory, sources):
    """Build the real content with --pdf into a temporary folder; return (result, site folder, seconds)."""
    require_weasyprint()
    out = tmp_path_factory.mktemp("pdf") / "site"
    started = time.perf_counter()
    result = build(CONTENT, TEMPLATES, LOCALE, sources, None, out_dir=out, pdf=True)
    return result, out, time.perf_counter() - started


@pytest.fixture(scope="session")
def texts(pdf_build) -> dict[str, str]:
    """Each language's PDF as text, laid out as on the page."""
    _, out, _ = pdf_build
    return {lang: poppler("pdftotext", "-layout", str(out / f"laoshan-factsheet-{lang}.pdf"), "-")
            for lang in ("zh", "en")}


def squeeze(text: str) -> str:
    """Drop white space, which pdftotext adds and removes at line ends and between CJK characters."""
    return re.sub(r"\s+", "", text)


def pdf_objects(data: bytes) -> bytes:
    """Return the PDF with its compressed streams inflated, for looking up catalogue entries and bookmarks."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end():]))
        except zlib.error:
            pass
    return b"\n".join(parts)


def pdf_string(text: str) -> bytes:
    """Return `text` as WeasyPrint writes a non-ASCII PDF string: UTF-16 with a byte-order mark, in hex."""
    return b"<" + ("\ufeff" + text).encode("utf-16-be").hex().encode() + b">"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_is_written_small_and_on_a4(pdf_build, lang):
    _, out, seconds = pdf_build
    path = out / f"laoshan-factsheet-{lang}.pdf"
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert 100_000 < len(data) < MAX_BYTES, f"{path.name} is {len(data):,} bytes"
    info = poppler("pdfinfo", str(path))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    low, high = PAGES[lang]
    assert low <= pages <= high, f"{path.name} has {pages} pages, expected {low}–{high}"
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M), info
    print(f"{path.name}: {pages} pages, {len(data):,} bytes (both built in {seconds:.1f} s)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_title_author_language_and_outline(pdf_build, lang):
    result, out, _ = pdf_build
    info = result.linked.site.info
    path = out / f"laoshan-factsheet-{lang}.pdf"
    meta = poppler("pdfinfo", str(path))
    assert re.search(rf"^Title:\s+.*{re.escape(info.title.get(lang))}", meta, re.M), meta
    assert re.search(rf"^Author:\s+{re.escape(info.publisher.get(lang))}$", meta, re.M), meta
    objects = pdf_objects(path.read_bytes())
    assert (b"/Lang (zh-Hans)" if lang == "zh" else b"/Lang (en)") in objects
    assert b"/Outlines" in objects
    for theme in result.linked.site.themes:
        title = theme.title.get(lang)
        encoded = pdf_string(title) if not title.isascii() else f"({title})".encode()
        assert encoded in objects, f"no bookmark for {title!r}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fonts_are_embedded_subset_and_from_fonts_noto_cjk(pdf_build, lang):
    _, out, _ = pdf_build
    table = poppler("pdffonts", str(out / f"laoshan-factsheet-{lang}.pdf")).splitlines()[2:]
    assert table, "no fonts listed"
    for line in table:
        name, *_, emb, sub, uni, _obj, _gen = line.split()
        assert re.fullmatch(r"[A-Z]{6}\+Noto-Sans(-Mono)?-CJK-SC[-\w]*", name), line
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_text_has_headings_figures_notes_and_page_numbers(pdf_build, texts, lang):
    result, _, _ = pdf_build
    linked = result.linked
    text = squeeze(texts[lang])
    headings = [t.title.get(lang) for t in linked.site.themes]
    headings += {"zh": ["目录", "项目时间线", "资料来源", "出处注释"],
                 "en": ["Contents", "Project timelines", "Sources", "Source notes"]}[lang]
    for heading in headings:
        assert squeeze(heading) in text, f"heading {heading!r} not in the {lang} PDF"
    for theme in linked.site.themes:  # the first figure of every theme, formatted for the language
        fact = linked.rows[theme.id][0].facts[0]
        value = format_amount(fact.value, fact.unit, fact.qualifier, fact.counter, lang)
        assert squeeze(value) in text, f"{fact.id}: {value!r} not in the {lang} PDF"
    passage = linked.passage_of[linked.rows[linked.site.themes[0].id][0].facts[0].id]
    assert squeeze(passage.quote) in text, "the first source note does not quote its passage"
    pages = len(texts[lang].split("\f")) - 1
    assert f"2/{pages}" in text, "no page numbers"
    if lang == "en":
        assert len(re.findall(r"[\u4e00-\u9fff]", texts[lang])) > 1000, "quotations in Chinese are missing"
    else:
        assert "Figures reported once" not in texts[lang] and "Contents" not in texts[lang], "untranslated heading"


def test_every_citation_number_has_one_endnote(pdf_build, texts):
    result, out, _ = pdf_build
    html = (out / "en" / "print.html").read_text("utf-8")
    markers = {int(n) for n in re.findall(r'class="cite" href="#n-(\d+)"', html)}
    notes = [int(n) for n in re.findall(r'<li id="n-(\d+)"', html)]
    assert notes == list(range(1, len(notes) + 1)), "endnotes are not one run 1, 2, 3…"
    assert markers == set(notes), "markers and endnotes differ"
    assert len(set(re.findall(r'id="([^"]+)"', html))) == len(re.findall(r'id="([^"]+)"', html)), "duplicate ids"


def test_overview_and_downloads_link_both_pdfs(pdf_build):
    _, out, _ = pdf_build
    for lang in ("zh", "en"):
        for page in ("index.html", "downloads.html", "print.html"):
            html = (out / lang / page).read_text("utf-8")
            for other in ("zh", "en"):
                assert f'href="../laoshan-factsheet-{other}.pdf"' in html, f"{lang}/{page} lacks the {other} PDF"
                assert (out / f"laoshan-factsheet-{other}.pdf").is_file()


def test_glyph_check_catches_a_character_no_font_has():
    require_weasyprint()
    from factsheet.pdf import render_pdf

    page = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>t</title>"
            "<link rel='stylesheet' href='../style.css'></head><body><p>{}</p></body></html>")
    pages = {"style.css": b"p { font-size: 12pt }",
             "en/ok.html": page.format("Laoshan 崂山 “quoted” – 2024 ◇ ● ■ ⚠").encode(),
             "en/bad.html": page.format("Phoenician \U00010900 here").encode()}
    pdf, problems = render_pdf(pages, "en/ok.html")
    assert pdf.startswith(b"%PDF-") and problems == []
    _, problems = render_pdf(pages, "en/bad.html")
    assert [str(p) for p in problems] == [
        "en/bad.html:1: '\U00010900' (U+10900) has no glyph in any installed font (hint: install Debian's "
        "fonts-noto-cjk, or write the character differently (FONTS in factsheet/pdf.py))"]


def test_glyph_check_catches_a_character_only_another_font_has():
    """↩ is not in Noto Sans CJK: drawn from DejaVu (if installed) or as an empty box, it fails either way."""
    require_weasyprint()
    from factsheet.pdf import render_pdf

    pages = {"en/p.html": "<html lang='en'><body><p>Back ↩</p></body></html>".encode()}
    _, problems = render_pdf(pages, "en/p.html")
    assert len(problems) == 1 and problems[0].message.startswith("'↩' (U+21A9) has no glyph in "), problems


def test_a_page_asking_for_a_file_the_build_did_not_make_is_an_error():
    require_weasyprint()
    from factsheet.pdf import render_pdf

    pages = {"en/p.html": b"<html lang='en'><head><link rel='stylesheet' href='../nope.css'></head><body>x</body></html>"}
    _, problems = render_pdf(pages, "en/p.html")
    assert [p.message for p in problems] == [
        "links to https://laoshan-factsheet.invalid/nope.css, which the build did not make"]


def test_a_build_without_pdf_never_imports_weasyprint(tmp_path):
    code = ("import sys; from pathlib import Path; from factsheet.pipeline import build; "
            f"build(Path({str(CONTENT)!r}), Path({str(TEMPLATES)!r}), Path({str(LOCALE)!r}), None, None, None); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'factsheet') and 'pdf' in m "
            "or m.startswith('weasyprint')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
