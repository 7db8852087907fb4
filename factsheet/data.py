"""Data downloads: every table of `tables.TABLES` as CSV and JSON, each series alone, the Frictionless data
package, the Dataset JSON-LD, and how to cite the fact sheet.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from itertools import islice

from .languages import LANGUAGES
from .model import UNIT_SCALE, UNITS, Date, Linked, Period, Text
from .tables import PACKAGE, TABLES, series_rows, site_url
from .urls import Urls, base


# --- Files ------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection")."""


def _csv_cell(value) -> str | float:
    """Return a value as CSV writes it: empty for null, `true`/`false` for booleans, and text that a spreadsheet
    would run as a formula behind a `'` (the downloads page says so).

    >>> print(*[_csv_cell(v) for v in ('=HYPERLINK("http://x")', "-3", -3.0, None, True, "2024")], sep=" | ")
    '=HYPERLINK("http://x") | '-3 | -3.0 |  | true | 2024
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


JSON = json.JSONEncoder(ensure_ascii=False, indent=1)
"""How every data file is written: UTF-8 with Chinese kept as is, one level of indent per nesting."""


def _json_body(data) -> Iterator[bytes]:
    """Serialise data as UTF-8 JSON with Chinese kept as is, block by block: with `indent`, Python's encoder makes
    a piece per token (millions at 500 sources), so they are joined and written a few thousand at a time."""
    pieces = JSON.iterencode(data)
    while batch := list(islice(pieces, 8192)):
        yield "".join(batch).encode("utf-8")
    yield b"\n"


def _json_rows_body(rows: Iterable[dict], block: int = 500) -> Iterator[bytes]:
    """Serialise rows as a JSON array, byte for byte as `_json_body(list(rows))` would, without the list: each
    row is encoded on its own and indented one level (JSON escapes newlines inside strings, so every newline
    in a row's text is structure).

    >>> rows = [{"a": [1, {"b": "x\\ny"}], "c": {}}, {"d": None}]
    >>> b"".join(_json_rows_body(iter(rows))) == b"".join(_json_body(rows))
    True
    >>> b"".join(_json_rows_body(iter(rows), block=1)) == b"".join(_json_body(rows))
    True
    >>> b"".join(_json_rows_body(iter([]))) == b"".join(_json_body([]))
    True
    """
    parts: list[str] = []
    opening = "[\n "
    for row in rows:
        parts += (opening, JSON.encode(row).replace("\n", "\n "))
        opening = ",\n "
        if len(parts) >= 2 * block:
            yield "".join(parts).encode("utf-8")
            parts = []
    closing = "[]\n" if opening == "[\n " else "\n]\n"
    yield ("".join(parts) + closing).encode("utf-8")


def _csv_body(names: list[str], rows: Iterable[dict], block: int = 2000) -> Iterator[bytes]:
    """Write rows as UTF-8 CSV under a header of `names`, `block` rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    rows = iter(rows)
    while True:
        batch = list(islice(rows, block))
        writer.writerows([_csv_cell(row[name]) for name in names] for row in batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        if len(batch) < block:
            return


def render_data(linked: Linked, urls: Urls, base_url: str | None) -> Iterator[tuple[str, Iterator[bytes]]]:
    """Yield every file under `data/` as (path, blocks of bytes): a CSV and a JSON file per table, and
    `datapackage.json`. Rows are made as they are written; consume each file's blocks before the next file."""
    for table in TABLES:
        json_names = [c.name for c in table.columns_for("json")]
        yield table.json, _json_rows_body({name: row[name] for name in json_names} for row in table.rows(linked, urls))
        yield table.csv, _csv_body([c.name for c in table.columns_for("csv")], table.rows(linked, urls))
    series = next(t for t in TABLES if t.name == "series")
    names = [c.name for c in series.columns_for("csv")]
    for indicator_id in linked.series:
        yield urls.series_csv(indicator_id), _csv_body(names, series_rows(linked, urls, only=indicator_id))
    yield PACKAGE, _json_body(datapackage(linked, urls, base_url))


# --- Descriptions -------------------------------------------------------------------

def _both(text: Text, sep: str = " / ") -> str:
    """Return a text in both languages, Chinese first, for metadata that has one slot."""
    return f"{text.zh}{sep}{text.en}"


def _license(linked: Linked) -> dict:
    """Return the licence as a data package `licenses` entry."""
    info = linked.site.info
    entry = {"path": info.license_url, "title": _both(info.license)}
    match = re.match(r"https?://creativecommons\.org/licenses/([a-z-]+)/([\d.]+)/?$", info.license_url)
    return ({"name": f"CC-{match[1].upper()}-{match[2]}"} | entry) if match else entry


def datapackage(linked: Linked, urls: Urls, base_url: str | None) -> dict:
    """Return the Frictionless data package describing every CSV and JSON file."""
    info = linked.site.info
    root = base(base_url) if base_url else "../"
    resources = []
    for table in TABLES:
        for fmt, media in (("csv", "text/csv"), ("json", "application/json")):
            path = table.csv if fmt == "csv" else table.json
            fields = []
            for c in table.columns_for(fmt):
                constraints = ({"required": True} if c.required else {}) | ({"enum": list(c.enum)} if c.enum else {})
                fields.append({"name": c.name, "type": c.type, "description": _both(c.description, "\n")}
                              | ({"constraints": constraints} if constraints else {}))
            keys = [{"fields": col, "reference": {"resource": f"{ref}-{fmt}", "fields": "id"}}
                    for col, ref in table.foreign_keys]
            resources.append({
                "name": f"{table.name}-{fmt}", "path": path.removeprefix("data/"), "profile": "tabular-data-resource",
                "title": f"{_both(table.title)} ({fmt.upper()})", "description": _both(table.description, "\n"),
                "format": fmt, "mediatype": media, "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": [table.primary_key]}
                | ({"foreignKeys": keys} if keys else {}),
            })
    package = {
        "profile": "tabular-data-package", "name": info.name, "title": _both(info.title),
        "description": _both(info.description, "\n"), "licenses": [_license(linked)],
        "contributors": [{"title": _both(info.publisher), "role": "publisher"}],
        # A source's path is its page on this site: absolute with a base URL, else relative to data/.
        "sources": [{"title": f"{_both(s.headline)} ({s.date.iso()})",
                     "path": root + site_url(urls, urls.source(s.id))}
                    for s in linked.site.sources],
        "keywords": [k for t in linked.site.themes for k in (t.title.zh, t.title.en)],
        "resources": resources,
    }
    return package | ({"homepage": base(base_url) + urls.page("landing")} if base_url else {})


def _iso8601(date: Date) -> str:
    """Return a date as ISO 8601 to its precision: halves, quarters and parts widen to the month or year."""
    if date.precision == "day":
        return f"{date.year}-{date.month:02d}-{date.day:02d}"
    return f"{date.year}-{date.month:02d}" if date.precision == "month" else f"{date.year}"


def _tagged(text: Text) -> list[dict]:
    """Return a bilingual text as JSON-LD language-tagged values."""
    return [{"@language": language.html_lang, "@value": text.get(language.code)} for language in LANGUAGES]


def dataset_ld(linked: Linked, urls: Urls, lang: str, base_url: str | None) -> dict:
    """Return the schema.org Dataset for a page in `lang`; file URLs absolute with a base URL, else page-relative."""
    info = linked.site.info
    prefix = base(base_url) if base_url else "../"
    publisher = {"@type": "Organization", "name": _tagged(info.publisher)}
    years = [y for f in linked.site.facts for y in (f.period.start.year, (f.period.end or f.period.start).year)]
    downloads = [{"@type": "DataDownload", "name": f"{table.title.get(lang)} ({fmt.upper()})",
                  "encodingFormat": media, "contentUrl": prefix + (table.csv if fmt == "csv" else table.json)}
                 for table in TABLES for fmt, media in (("csv", "text/csv"), ("json", "application/json"))]
    downloads.append({"@type": "DataDownload", "name": "datapackage.json (Frictionless Data Package)",
                      "encodingFormat": "application/json", "contentUrl": prefix + PACKAGE})
    ld = {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": _tagged(info.title), "description": _tagged(info.description),
        "inLanguage": [language.html_lang for language in LANGUAGES], "license": info.license_url, "isAccessibleForFree": True,
        "creator": publisher, "publisher": publisher,
        "keywords": [t.title.get(lang) for t in linked.site.themes],
        "distribution": downloads,
        "isBasedOn": [{"@type": "NewsArticle", "headline": s.headline.zh, "alternativeHeadline": s.headline.en,
                       "inLanguage": "zh-Hans", "datePublished": _iso8601(s.date),
                       "publisher": {"@type": "Organization", "name": s.outlet.zh}} for s in linked.site.sources],
    }
    if years:
        ld["temporalCoverage"] = f"{min(years)}/{max(years)}"
    if base_url:
        ld["url"] = base(base_url) + urls.in_language(lang, urls.page("downloads"))
    return ld


def citation(linked: Linked, urls: Urls, base_url: str | None, edition: Date | None = None) -> Text:
    """Return how to cite the fact sheet: GB/T 7714 style in Chinese (full-width punctuation), author–date–title–
    address in English; with the edition's date when it is known."""
    from .format import format_date, format_period

    info = linked.site.info
    sources = linked.site.sources
    first, last = min(s.date.year for s in sources), max(s.date.year for s in sources)
    span = Period(Date(first), Date(last) if last != first else None)
    url = f"{base(base_url)}{urls.page('landing')}" if base_url else ""
    zh = f"{info.publisher.zh}．{info.title.zh}：据{format_period(span, 'zh')}{len(sources)}篇报道整理［DS/OL］．"
    zh += f"版本日期：{format_date(edition, 'zh')}．" if edition else ""
    zh += f"［引用日期］．{url}" + ("．" if url else "")
    en = f"{info.publisher.en}" + (f" ({format_date(edition, 'en')})" if edition else "")
    articles = "newspaper article" if len(sources) == 1 else "newspaper articles"
    en += f". {info.title.en}: compiled from {len(sources)} {articles}, {format_period(span, 'en')} [Data set]."
    en += f" {url}" if url else ""
    return Text(zh, en + " (accessed [date]).")


def unit_legend() -> tuple[tuple[str, str, str, str], ...]:
    """Return (unit id, as written in Chinese, as written in English, multiplier) for every unit."""
    powers = {10_000: "10⁴", 100_000_000: "10⁸"}
    return tuple((uid, text.zh.replace("{}", "…"), text.en.replace("{}", "…"),
                  powers.get(UNIT_SCALE.get(uid, 1), "1")) for uid, text in UNITS.items())
