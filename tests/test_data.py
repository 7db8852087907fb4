"""Data downloads: CSV and JSON per table, the Frictionless data package, and the downloads page."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from factsheet.pages import make_urls
from markupsafe import escape

from conftest import CONTENT, FIXTURES
from factsheet.data import citation, datapackage, render_data
from factsheet.tables import PACKAGE, TABLES
from factsheet.link import link
from factsheet.load import edition_date, load_content
from factsheet.model import Date
from factsheet.validate import validate

HAN = re.compile(r"[\u3400-\u9fff]")


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read a CSV file as UTF-8 the plain way: header and rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def as_csv_cell(value) -> str:
    """Return how a JSON value is written in the CSV file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.fixture(scope="module")
def minimal_linked():
    """The minimal fixture, linked (quotations verified against its own text)."""
    root = FIXTURES / "minimal"
    texts = {p.name: p.read_bytes() for p in (root / "sources").glob("*.txt")}
    return link(validate(load_content(root / "content")), texts)


# --- The description (no build needed) ---------------------------------------------


def test_every_table_and_column_is_described_in_both_languages():
    for table in TABLES:
        for text in (table.title, table.description):
            assert HAN.search(text.zh) and not HAN.search(text.en), table.name
        names = [c.name for c in table.columns]
        assert len(names) == len(set(names)), table.name
        assert table.primary_key in names
        for column in table.columns:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", column.name), column.name
            assert column.type in ("string", "number", "boolean", "object"), column.name
            assert HAN.search(column.description.zh), (table.name, column.name)
            # English pages show these descriptions as plain text: Chinese in them would be unmarked.
            assert not HAN.search(column.description.en), (table.name, column.name)
            assert column.description.en[:1].isupper() or column.description.en.startswith("true"), column.name
        for col, ref in table.foreign_keys:
            assert col in names and ref in {t.name for t in TABLES}


def test_tables_cover_facts_series_milestones_plans_and_sources():
    assert [t.name for t in TABLES] == ["facts", "series", "milestones", "plans", "sources"]
    facts = {c.name for c in next(t for t in TABLES if t.name == "facts").columns}
    assert {"id", "theme", "subject", "value", "unit", "qualifier", "period", "kind", "scope", "source", "quote",
            "url"} <= facts
    sources = {c.name for c in next(t for t in TABLES if t.name == "sources").columns}
    assert {"id", "headline", "date", "file", "sha256"} <= sources


def test_empty_table_still_has_its_header(minimal_linked):
    linked = dataclasses.replace(minimal_linked, plans=())
    files = {name: b"".join(body) for name, body in render_data(linked, make_urls(linked), None)}
    plans = next(t for t in TABLES if t.name == "plans")
    assert files["data/plans.csv"].decode("utf-8") == ",".join(c.name for c in plans.columns_for("csv")) + "\n"
    assert json.loads(files["data/plans.json"]) == []


def test_citation_names_publisher_title_years_and_address(minimal_linked):
    info = minimal_linked.site.info
    urls = make_urls(minimal_linked)
    with_base = citation(minimal_linked, urls, "https://user.github.io/repo")
    assert info.publisher.zh in with_base.zh and info.title.zh in with_base.zh and "［DS/OL］" in with_base.zh
    assert info.publisher.en in with_base.en and info.title.en in with_base.en and "[Data set]" in with_base.en
    assert "https://user.github.io/repo/index.html" in with_base.zh
    assert "https://user.github.io/repo/index.html" in with_base.en
    assert "http" not in citation(minimal_linked, urls, None).en


def test_datapackage_sources_follow_base_url(minimal_linked):
    urls = make_urls(minimal_linked)
    relative = datapackage(minimal_linked, urls, None)["sources"]
    absolute = datapackage(minimal_linked, urls, "https://user.github.io/repo/")["sources"]
    assert [s["path"] for s in relative] == [f"../zh/source-{s.id}.html" for s in minimal_linked.site.sources]
    assert all(s["path"].startswith("https://user.github.io/repo/zh/source-") for s in absolute)


# --- The built files -----------------------------------------------------------------


def test_data_files_are_exactly_the_tables_and_each_series(site_dir, built):
    found = sorted(p.name for p in (site_dir / "data").iterdir() if p.is_file())
    expected = sorted([f"{t.name}.csv" for t in TABLES] + [f"{t.name}.json" for t in TABLES] + ["datapackage.json"])
    assert found == expected
    series = built[0].linked.series
    per_series = sorted(p.name for p in (site_dir / "data" / "series").iterdir())
    assert [p for p in per_series if p.endswith(".csv")] == sorted(f"{i}.csv" for i in series)
    whole = list(csv.DictReader(io.StringIO((site_dir / "data" / "series.csv").read_text("utf-8"))))
    for indicator in series:
        one = list(csv.DictReader(io.StringIO((site_dir / "data" / "series" / f"{indicator}.csv").read_text("utf-8"))))
        assert one == [row for row in whole if row["indicator"] == indicator] and len(one) >= 2


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_csv_round_trips_with_chinese_intact(site_dir, table):
    path = site_dir / table.csv
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    header, rows = read_csv(path)
    assert header == [c.name for c in table.columns_for("csv")]
    # Writing what was read gives back the same bytes: nothing was lost on the way.
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    assert buffer.getvalue().encode("utf-8") == raw
    # Same rows as the JSON file, cell by cell, Chinese included.
    records = json.loads((site_dir / table.json).read_text("utf-8"))
    assert len(rows) == len(records)
    for row, record in zip(rows, records):
        assert row == {name: as_csv_cell(record[name]) for name in header}
    if rows:
        assert any(HAN.search(value) for value in rows[0].values()), "the first row has Chinese text"


def test_csv_keeps_chinese_of_the_content(site_dir, built):
    linked = built[0].linked
    _, rows = read_csv(site_dir / "data" / "facts.csv")
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == len(linked.site.facts)
    for fact in linked.site.facts:
        row = by_id[fact.id]
        assert (row["subject_zh"], row["quote"]) == (fact.subject.zh, fact.citation.quote)
    _, sources = read_csv(site_dir / "data" / "sources.csv")
    assert [s["headline_zh"] for s in sources] == [s.headline.zh for s in linked.site.sources]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_json_records_have_the_documented_keys(site_dir, table):
    records = json.loads((site_dir / table.json).read_text("utf-8"))
    names = [c.name for c in table.columns_for("json")]
    for record in records:
        assert list(record) == names
        for column in table.columns:
            if column.required:
                assert record[column.name] not in (None, ""), (column.name, record)
            if column.enum and record[column.name] is not None:
                assert record[column.name] in column.enum


def test_facts_and_sources_json_carry_every_field_a_reuser_needs(site_dir, built, sources):
    facts = json.loads((site_dir / "data" / "facts.json").read_text("utf-8"))
    assert len(facts) == len(built[0].linked.site.facts)
    for fact in facts:
        assert set(fact["subject"]) == {"zh", "en"}
        assert re.fullmatch(r"zh/[a-z-]+\.html#f-" + re.escape(fact["id"]), fact["url"])
    for source in json.loads((site_dir / "data" / "sources.json").read_text("utf-8")):
        assert set(source["headline"]) == {"zh", "en"}
        assert hashlib.sha256((sources / source["file"]).read_bytes()).hexdigest() == source["sha256"]


def test_milestones_data_carry_the_same_step_links(site_dir, built):
    """A reuser can tell which records two articles give for one step, as the timelines do (same_as)."""
    linked = {m.id: m.same_as for m in built[0].linked.site.milestones}
    assert any(linked.values()), "the real content links at least one step reported by two articles"
    records = json.loads((site_dir / "data" / "milestones.json").read_text("utf-8"))
    assert {r["id"]: r["same_as"] for r in records} == linked
    with (site_dir / "data" / "milestones.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["id"]: r["same_as"] or None for r in rows} == linked

def test_url_columns_point_at_existing_anchors(site_dir):
    ids: dict[str, set[str]] = {}
    for table in TABLES:
        records = json.loads((site_dir / table.json).read_text("utf-8"))
        for record in records:
            page, _, anchor = record["url"].partition("#")
            assert page.startswith("zh/") and (site_dir / page).is_file(), record["url"]
            if anchor:
                if page not in ids:
                    ids[page] = set(re.findall(r'\bid="([^"]+)"', (site_dir / page).read_text("utf-8")))
                assert anchor in ids[page], record["url"]


def test_foreign_keys_resolve(site_dir):
    ids = {t.name: {r["id"] for r in json.loads((site_dir / t.json).read_text("utf-8")) if "id" in r}
           for t in TABLES}
    for table in TABLES:
        for record in json.loads((site_dir / table.json).read_text("utf-8")):
            for column, ref in table.foreign_keys:
                assert record[column] is None or record[column] in ids[ref], (table.name, column, record[column])


# --- The data package ----------------------------------------------------------------


def validate_package(path: Path):
    """Validate a data package with frictionless; return its report."""
    frictionless = pytest.importorskip("frictionless", reason="pip install -e '.[test]'")
    return frictionless.validate(str(path))


def test_frictionless_validates_the_data_package(site_dir):
    report = validate_package(site_dir / PACKAGE)
    assert report.valid, report.flatten(["type", "note", "rowNumber", "fieldName"])[:10]
    assert len(report.tasks) == 2 * len(TABLES)


def test_frictionless_catches_bad_data(site_dir, tmp_path):
    """The validation is not blind: an unknown kind and a dangling source id are reported."""
    data = tmp_path / "data"
    shutil.copytree(site_dir / "data", data)
    facts = data / "facts.csv"
    header, rows = read_csv(facts)
    rows[0]["kind"] = "goal"
    rows[1]["source"] = "1999-01"
    with facts.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    report = validate_package(data / "datapackage.json")
    assert not report.valid
    types = {error[0] for error in report.flatten(["type"])}
    assert {"constraint-error", "foreign-key"} <= types


def test_data_package_describes_every_resource(site_dir, built):
    package = json.loads((site_dir / PACKAGE).read_text("utf-8"))
    info = built[0].linked.site.info
    assert info.title.zh in package["title"] and info.title.en in package["title"]
    assert package["licenses"][0]["path"] == info.license_url
    assert len(package["sources"]) == len(built[0].linked.site.sources) == 5
    paths = {r["path"] for r in package["resources"]}
    assert paths == {p.name for p in (site_dir / "data").iterdir() if p.is_file()} - {"datapackage.json"}
    for resource in package["resources"]:
        table = next(t for t in TABLES if t.name == resource["name"].rsplit("-", 1)[0])
        assert table.title.zh in resource["title"] and table.title.en in resource["title"]
        columns = table.columns_for(resource["format"])
        assert [f["name"] for f in resource["schema"]["fields"]] == [c.name for c in columns]
        for field, column in zip(resource["schema"]["fields"], columns):
            assert field["type"] == column.type
            assert column.description.zh in field["description"] and column.description.en in field["description"]


# --- The downloads page ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_downloads_page_documents_files_columns_and_citation(site_dir, built, lang):
    html = (site_dir / lang / "downloads.html").read_text("utf-8")
    for table in TABLES:
        for path in (table.csv, table.json):
            assert f'href="../{path}"' in html
        assert escape(table.title.get(lang)) in html
        for column in table.columns:
            assert f"<code>{column.name.replace('_', '_<wbr>')}</code>" in html  # may break after "_" on a phone
            assert escape(column.description.get(lang)) in html
    assert 'href="../data/datapackage.json"' in html
    edition = edition_date(CONTENT)
    cite = citation(built[0].linked, make_urls(built[0].linked), None,
                    Date(edition.year, edition.month, edition.day, "day") if edition else None)
    assert f'<dd lang="zh-Hans">{escape(cite.zh)}</dd>' in html
    assert f'<dd lang="en">{escape(cite.en)}</dd>' in html
    assert 'id="cite"' in html and 'rel="license"' in html
