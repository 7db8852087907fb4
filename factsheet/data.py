"""Data downloads: every table of the site as CSV and JSON, a Frictionless data package, JSON-LD."""

from __future__ import annotations

import csv
import io
import json

from .model import Linked


def _fact_rows(linked: Linked) -> list[dict]:
    """Return one flat record per fact."""
    rows = []
    for f in linked.site.facts:
        low, high = f.value if isinstance(f.value, tuple) else (f.value, None)
        rows.append({
            "id": f.id, "theme": f.theme, "subject_zh": f.subject.zh, "subject_en": f.subject.en,
            "value": low, "value_high": high, "unit": f.unit, "qualifier": f.qualifier, "period": f.period.iso(),
            "kind": f.kind, "scope": f.scope, "indicator": f.indicator or "",
            "rank_zh": f.rank.zh if f.rank else "", "rank_en": f.rank.en if f.rank else "",
            "source": f.citation.source, "quote": f.citation.quote, "quote_en": f.citation.quote_en,
            "note_zh": f.note.zh if f.note else "", "note_en": f.note.en if f.note else "",
            "url": f"zh/{f.theme}.html#f-{f.id}",
        })
    return rows


def _series_rows(linked: Linked) -> list[dict]:
    """Return one record per observation of every indicator."""
    rows = []
    for theme_rows in linked.rows.values():
        for row in theme_rows:
            if row.indicator is None:
                continue
            for f in row.facts:
                low, high = f.value if isinstance(f.value, tuple) else (f.value, None)
                rows.append({"indicator": row.id, "theme": row.theme, "name_zh": row.name.zh, "name_en": row.name.en,
                             "unit": row.unit, "fact": f.id, "period": f.period.iso(), "kind": f.kind,
                             "qualifier": f.qualifier, "value": low, "value_high": high, "scope": f.scope,
                             "source": f.citation.source, "conflict": f.id in row.conflicts})
    return rows


def _milestone_rows(linked: Linked) -> list[dict]:
    """Return one record per milestone, by project and date."""
    rows = []
    for project in linked.site.projects:
        for m in linked.project_milestones[project.id]:
            rows.append({"id": m.id, "project": project.id, "project_zh": project.name.zh,
                         "project_en": project.name.en, "event": m.event, "label_zh": m.label.zh,
                         "label_en": m.label.en, "date": m.date.iso(), "done": m.done, "source": m.citation.source,
                         "quote": m.citation.quote, "quote_en": m.citation.quote_en,
                         "url": f"zh/timelines.html#m-{m.id}"})
    return rows


def _plan_rows(linked: Linked) -> list[dict]:
    """Return one record per plan with both figures."""
    rows = []
    for p in linked.plans:
        rows.append({"id": p.plan.id, "subject_zh": p.target.subject.zh, "subject_en": p.target.subject.en,
                     "target": p.target.id, "target_value": _scalar(p.target.value), "target_period": p.target.period.iso(),
                     "target_source": p.target.citation.source, "outcome": p.outcome.id if p.outcome else "",
                     "outcome_value": _scalar(p.outcome.value) if p.outcome else None,
                     "outcome_period": p.outcome.period.iso() if p.outcome else "",
                     "outcome_source": p.outcome.citation.source if p.outcome else "", "unit": p.target.unit,
                     "status": p.plan.status, "difference": p.difference})
    return rows


def _source_rows(linked: Linked) -> list[dict]:
    """Return one record per source."""
    return [{"id": s.id, "headline_zh": s.headline.zh, "headline_en": s.headline.en, "outlet_zh": s.outlet.zh,
             "outlet_en": s.outlet.en, "byline": s.byline.zh, "date": s.date.iso(), "file": s.file,
             "sha256": s.sha256, "url": f"zh/source-{s.id}.html"} for s in linked.site.sources]


def _scalar(value):
    """Return a single number; the low end of a range."""
    return value[0] if isinstance(value, tuple) else value


TABLES = (
    ("facts", _fact_rows),
    ("series", _series_rows),
    ("milestones", _milestone_rows),
    ("plans", _plan_rows),
    ("sources", _source_rows),
)
RESOURCES: tuple[dict, ...] = tuple({"name": name, "csv": f"data/{name}.csv", "json": f"data/{name}.json"}
                                   for name, _ in TABLES)


def render_data(linked: Linked, base_url: str | None) -> dict[str, bytes]:
    """Return every data file under `data/`."""
    out: dict[str, bytes] = {}
    for name, rows_of in TABLES:
        rows = rows_of(linked)
        records = rows
        if name == "facts":
            records = [r | {"subject": {"zh": r["subject_zh"], "en": r["subject_en"]}} for r in rows]
        if name == "sources":
            records = [r | {"headline": {"zh": r["headline_zh"], "en": r["headline_en"]}} for r in rows]
        out[f"data/{name}.json"] = (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["id"], lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else str(v).lower() if isinstance(v, bool) else v
                             for k, v in row.items()})
        out[f"data/{name}.csv"] = buffer.getvalue().encode("utf-8")
    return out


def dataset_ld(linked: Linked, lang: str, base_url: str | None) -> dict:
    """Return a schema.org Dataset describing the fact sheet and its downloads."""
    info = linked.site.info
    return {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": [{"@language": "zh-Hans", "@value": info.title.zh}, {"@language": "en", "@value": info.title.en}],
        "description": [{"@language": "zh-Hans", "@value": info.description.zh},
                        {"@language": "en", "@value": info.description.en}],
        "inLanguage": ["zh-Hans", "en"], "license": info.license_url,
        "distribution": [{"@type": "DataDownload", "encodingFormat": fmt, "contentUrl": f"../{r[fmt.split('/')[1]]}"}
                         for r in RESOURCES for fmt in ("text/csv", "application/json")],
        "isBasedOn": [{"@type": "NewsArticle", "headline": s.headline.zh, "datePublished": s.date.iso(),
                       "publisher": {"@type": "Organization", "name": s.outlet.zh}} for s in linked.site.sources],
    }
