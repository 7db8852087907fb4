"""Optional end of stage 4: each language's print edition as a PDF, made with WeasyPrint (the `[pdf]` extra).

Pure like the rest of rendering: pages in, PDF bytes out; nothing is read from disk but fonts. WeasyPrint draws a
character that no font has as an empty box, or takes it from whatever font fontconfig finds, and says nothing; so
every character drawn is checked against the fonts chosen here (Debian's fonts-noto-cjk) and any other fails the build.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat

from .model import ContentError, ContentErrors

FONTS = ("Noto Sans CJK SC", "Noto Sans Mono CJK SC")
"""Font families a PDF may use: text, then code. Debian and Ubuntu package both in fonts-noto-cjk."""

PDF_CSS = f"""
* {{ font-family: "{FONTS[0]}" !important; }}
code, kbd, samp, pre, .fid, .hash {{ font-family: "{FONTS[1]}" !important; }}
@page {{ size: A4;
  @top-left {{ font-family: "{FONTS[0]}"; }} @top-right {{ font-family: "{FONTS[0]}"; }}
  @bottom-right {{ font-family: "{FONTS[0]}"; }} }}
.toc h2 {{ bookmark-level: none; }}
:lang(en) {{ font-feature-settings: "pwid"; }}
:lang(zh) {{ font-feature-settings: normal; }}
"""
"""Added to print.css for the PDF only: the chosen fonts (with proportional Latin punctuation in English, where the
CJK font's quotation marks are otherwise full width), A4, and no bookmark for the contents list itself."""

CHART_CSS = f"""
.bar.solid {{ fill: #5a5a5a; }}
.bar.target {{ stroke: #000; stroke-width: 1.2; stroke-dasharray: 4 2; }}
.hatch {{ stroke: #000; stroke-width: 1.3; }}
.axis, .zero {{ stroke: #000; }}
text, .src {{ fill: #000; font-family: "{FONTS[0]}"; }}
"""
"""print.css's chart rules again: WeasyPrint draws an inline SVG as an image that sees only its own <style>. No font
size or alignment: the chart sets its own, which its layout is measured by."""

FONT_HINT = "install Debian's fonts-noto-cjk, or write the character differently (FONTS in factsheet/pdf.py)"
MIME_TYPES = {"css": "text/css", "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg"}
"""Fixed, so that rendering does not depend on the machine's mime.types."""
BASE = "https://laoshan-factsheet.invalid/"
"""Stands for the site root while rendering, so that relative links resolve; links to it end up relative."""


def render_pdfs(pages: dict[str, bytes], editions: dict[str, str]) -> dict[str, bytes]:
    """Render each print edition (page path → PDF path, both from the site root); fail on any glyph the fonts lack."""
    try:
        import weasyprint  # noqa: F401  (imported here so a build without --pdf never needs it)
    except ImportError as exc:
        raise ContentErrors([ContentError("build.py", None, "--pdf", f"WeasyPrint is not installed ({exc})",
                                          "pip install '.[pdf]'")]) from None
    out: dict[str, bytes] = {}
    errors: list[ContentError] = []
    paths = list(editions)
    # Layout takes WeasyPrint about 20 s of CPU per language: one process per language halves the wait on two cores.
    with ProcessPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        for path, (pdf, problems) in zip(paths, pool.map(render_pdf, repeat(pages), paths)):
            errors.extend(problems)
            out[editions[path]] = pdf
    if errors:
        raise ContentErrors(errors)
    return out


def render_pdf(pages: dict[str, bytes], path: str) -> tuple[bytes, list[ContentError]]:
    """Render one page of the site to PDF; return its bytes and the problems found (missing files and glyphs)."""
    from weasyprint import CSS, HTML

    missing_files: list[str] = []
    fetcher = _page_fetcher(pages, missing_files)
    html = re.sub(r'(<svg class="chart"[^>]*>)', lambda m: f"{m[1]}<style>{CHART_CSS}</style>",
                  pages[path].decode("utf-8"))
    document = HTML(string=html, base_url=BASE + path, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=PDF_CSS, url_fetcher=fetcher)])
    for page in document.pages:
        # The PDF lies at the site root, so a link to another page becomes a path from there (`en/source-….html`).
        page.links = [(kind, target.removeprefix(BASE) if kind == "external" else target, *rest)
                      for kind, target, *rest in page.links]
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")  # tagged, with the document's language, for screen readers
    problems = [ContentError(path, None, "", f"links to {name}, which the build did not make", "fix the link")
                for name in missing_files]
    problems += [ContentError(path, _line_of(html, char), "", message, FONT_HINT)
                 for char, message in missing_glyphs(document)]
    return pdf, problems


def missing_glyphs(document) -> list[tuple[str, str]]:
    """Return (character, message) for each character drawn without a glyph from FONTS, in code point order."""
    found: dict[str, str] = {}
    for font in document.fonts.values():
        for codepoint in font.missing:
            found.setdefault(chr(codepoint), f"{_name(chr(codepoint))} has no glyph in any installed font")
        if font.family not in FONTS:
            for char in sorted(set("".join(font.to_unicode.values())) - set(" \u00a0")):
                found.setdefault(char, f"{_name(char)} has no glyph in {' or '.join(FONTS)} "
                                       f"(WeasyPrint took it from {font.family})")
    return sorted(found.items())


def _name(char: str) -> str:
    """Describe a character for an error message: `'𐤀' (U+10900)`."""
    return f"{char!r} (U+{ord(char):04X})"


def _line_of(html: str, char: str) -> int | None:
    """Return the 1-based line of the first occurrence of `char` in the page, or None (CSS-generated text)."""
    index = html.find(char)
    return html.count("\n", 0, index) + 1 if index >= 0 else None


def _page_fetcher(pages: dict[str, bytes], missing: list[str]):
    """Return a WeasyPrint URL fetcher that serves the rendered pages and records any other URL asked for."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PageFetcher(URLFetcher):
        """Serve stylesheets and images from the rendered pages, never from disk or the network."""

        def fetch(self, url, headers=None):
            name = url.removeprefix(BASE).split("#")[0].split("?")[0]
            if name not in pages:
                missing.append(url)
                raise ValueError(f"{url} is not a page of this site")
            mime = MIME_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
            return URLFetcherResponse(url, pages[name], {"Content-Type": mime})

    return PageFetcher()
