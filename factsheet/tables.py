"""The data downloads, described once: every table's columns (documented in both languages) and rows.

`TABLES` is the one description of the downloads: the data files, the data package, the downloads page and the
Dataset JSON-LD are all made from it (`data.py`), so a column is documented once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from .languages import LANGUAGES, SOURCE_LANGUAGE
from .model import EVENTS, KINDS, QUALIFIERS, STATUSES, UNITS, Linked, Text
from .templating import N_
from .urls import Urls


@dataclass(frozen=True)
class Column:
    """One column of a data table, documented in both languages."""

    name: str
    type: str
    """Table Schema type: `string`, `number`, `boolean`, or `object` (JSON files only)."""
    description: Text
    enum: tuple[str, ...] = ()
    """The closed vocabulary the column's values come from, if any."""
    required: bool = False
    """True when no row leaves it empty."""

    @property
    def in_csv(self) -> bool:
        """Return whether the column is in the CSV file (objects are in the JSON file only)."""
        return self.type != "object"


@dataclass(frozen=True)
class Table:
    """A downloadable table: titles, columns, keys, and the function that makes its rows."""

    name: str
    """File stem: `data/<name>.csv` and `data/<name>.json`."""
    title: Text
    description: Text
    columns: tuple[Column, ...]
    primary_key: str
    foreign_keys: tuple[tuple[str, str], ...]
    """(column, table) pairs: the column holds an `id` of that table (`fact` columns point at facts)."""
    rows: Callable[[Linked, Urls], Iterator[dict]]
    """Makes the table's rows one at a time (at 500 sources, facts alone are 30,000 rows)."""

    @property
    def csv(self) -> str:
        """Return the CSV file's path from the site root."""
        return f"data/{self.name}.csv"

    @property
    def json(self) -> str:
        """Return the JSON file's path from the site root."""
        return f"data/{self.name}.json"

    def columns_for(self, fmt: str) -> tuple[Column, ...]:
        """Return the columns of the `csv` or `json` file, in file order."""
        return tuple(c for c in self.columns if fmt == "json" or c.in_csv)


def _col(name: str, type_: str, zh: str, en: str, **kw) -> Column:
    """Make a column from its name, type and the two descriptions."""
    return Column(name, type_, Text(zh, en), **kw)


def _sided(side: str, column: Column) -> Column:
    """Return `column` as the target or outcome side of a plan (`target_value`, …)."""
    zh, en = {"target": ("目标", "Target"), "outcome": ("结果", "Outcome")}[side]
    return replace(column, name=side if column.name == "fact" else f"{side}_{column.name}",
                   required=column.required and side == "target",
                   description=Text(f"{zh}：{column.description.zh}",
                                    f"{en}: {column.description.en[:1].lower()}{column.description.en[1:]}"))


ID = _col("id", "string", "编号，在本表内唯一。", "Id, unique within the table.", required=True)
THEME = _col("theme", "string", "所属主题（栏目）编号，如 economy、innovation。",
             "Theme (section) id, e.g. economy, innovation.", required=True)
VALUE = _col("value", "number", "文章所载数值，沿用原文单位（220.38亿元记为 220.38，单位 100m_yuan）；如为区间，此为下限；"
             "文章只用文字表述的排名（如“保持全市领先”）为空，见 rank 列。",
             "The number as the article states it, in the article's unit (220.38 with unit 100m_yuan for "
             "CNY 22.038 billion); for a range, its low end; empty for a ranking the article states only in words "
             "(see the rank columns).")
VALUE_HIGH = _col("value_high", "number", "区间的上限；不是区间时为空。",
                  "High end of a range; empty when the figure is a single number.")
UNIT = _col("unit", "string", "数值的单位编号：100m_yuan 为亿元，10k_ 开头为万，percent 为百分比（单位表见数据下载页）。",
            "Unit id: 100m_yuan is CNY 100 million, 10k_ units count in ten thousands, percent is a percentage "
            "(the units table is on the downloads page).", enum=tuple(UNITS), required=True)
QUALIFIER = _col("qualifier", "string", "数值的限定：exact 确数；over 以上、超过、突破；about 约、左右；nearly 近、接近；under 不足、不到。",
                 "How the article qualifies the number: exact; over (more than, at least, passed); about; nearly; "
                 "under (less than).", enum=QUALIFIERS, required=True)
PERIOD = _col("period", "string",
              "数字所指的时间（往往不是文章的发表时间）：2024 年、2024-H1 上半年、2024-Q3 第三季度、2024-03 月、2024-03-15 日；"
              "年或月后可加 -early、-mid、-end（初、中、底）；时段写作“起/止”，如 2021/2025。",
              "The time the figure is about (often not the article's date): 2024 (year), 2024-H1 (first half), "
              "2024-Q3 (quarter), 2024-03 (month), 2024-03-15 (day); a year or month may end in -early, -mid or "
              "-end; a span is start/end, e.g. 2021/2025.", required=True)
KIND = _col("kind", "string", "类型：result 为期内实际完成；target 为目标或计划；as_of 为截至某时的累计或现有总量。",
            "Kind: result (what happened in the period), target (a plan or goal), as_of (a total standing at a "
            "date).", enum=KINDS, required=True)
SCOPE = _col("scope", "string", "数字覆盖的范围：district 为全区，否则为园区、片区或项目的编号。",
             "What the figure covers: district for the whole district, else the id of a park, zone or project.",
             required=True)
SOURCE = _col("source", "string", "来源文章的编号（sources 表的 id）。", "Id of the source article (id in sources).",
              required=True)
QUOTE = _col("quote", "string", "文章中陈述该内容的原文，逐字摘录。",
             "The clause of the article that states it, copied verbatim (Chinese).", required=True)
QUOTE_EN = _col("quote_en", "string", "上述原文的英文译文（本项目翻译）。", "Our English translation of that clause.",
                required=True)
NOTE_ZH = _col("note_zh", "string", "说明（中文）：文章未讲清之处及本项目的理解；没有时为空。",
               "Note in Chinese: what the article leaves unclear and how we read it; empty if none.")
NOTE_EN = _col("note_en", "string", "说明（英文）；没有时为空。", "The same note in English; empty if none.")
URL_NOTE = Text("相对网站根目录，含 #锚点；把 zh/ 换成 en/ 即为英文页面。",
                "relative to the site root, with its #anchor; replace zh/ with en/ for the English page.")


def site_url(urls: Urls, path: str) -> str:
    """Return a page's address from the site root, in the articles' language: the `url` column's value."""
    return urls.in_language(SOURCE_LANGUAGE.code, path)


def _url(zh: str, en: str) -> Column:
    """Make the `url` column: where a row is shown on the Chinese site."""
    return _col("url", "string", zh + URL_NOTE.zh, en + URL_NOTE.en, required=True)


FACT_COLUMNS = (
    replace(ID, description=Text("事实编号，全站唯一；网页上的锚点为 #f-编号。",
                                 "Fact id, unique across the site; the anchor on the pages is #f-<id>.")),
    THEME,
    _col("subject_zh", "string", "所计量的事项（中文）。", "What is measured, in Chinese.", required=True),
    _col("subject_en", "string", "所计量的事项（英文）。", "What is measured, in English.", required=True),
    _col("subject", "object", "所计量的事项，形如 {zh, en} 的对象（仅 JSON 文件）。",
         "What is measured, as an object {zh, en} (JSON file only).", required=True),
    VALUE, VALUE_HIGH, UNIT, QUALIFIER, PERIOD, KIND, SCOPE,
    _col("indicator", "string", "所属指标序列的编号（series 表的 indicator）；不属于任何序列时为空。",
         "Id of the indicator series the figure belongs to (indicator in series); empty if none."),
    _col("rank_zh", "string", "文章给出的排名或位次（中文），如“全市第一”；没有时为空。",
         "A ranking the article gives for the figure, in Chinese; empty if none."),
    _col("rank_en", "string", "上述排名的英文译文。", "The ranking in English (first in Qingdao)."),
    SOURCE, QUOTE, QUOTE_EN, NOTE_ZH, NOTE_EN,
    _url("该数字在中文网页上的位置，", "The figure's place on the Chinese site, "),
)

SERIES_COLUMNS = (
    _col("indicator", "string", "指标序列的编号。", "Indicator (series) id.", required=True),
    THEME,
    _col("name_zh", "string", "指标名称（中文）。", "Name of the indicator in Chinese.", required=True),
    _col("name_en", "string", "指标名称（英文）。", "Name of the indicator in English.", required=True),
    _col("fact", "string", "该观测值的事实编号（facts 表的 id）。", "Id of the fact this observation is (id in facts).",
         required=True),
    PERIOD, KIND, VALUE, VALUE_HIGH, UNIT, QUALIFIER, SCOPE, SOURCE,
    _col("conflict", "boolean", "如另一篇文章对同一时间、同一类型给出不同的数字，则为 true。",
         "true when another article gives a different figure for the same period and kind.", required=True),
    _url("该观测值在其指标页面（中文）上的位置，", "The observation's place on its indicator's page (Chinese site), "),
)

MILESTONE_COLUMNS = (
    replace(ID, description=Text("里程碑编号，全站唯一；网页上的锚点为 #m-编号。",
                                 "Milestone id, unique across the site; the anchor on the pages is #m-<id>.")),
    _col("project", "string", "项目、园区或片区的编号。", "Id of the project, park or area.", required=True),
    _col("project_zh", "string", "项目名称（中文）。", "Name of the project in Chinese.", required=True),
    _col("project_en", "string", "项目名称（英文）。", "Name of the project in English.", required=True),
    _col("event", "string", "事件：signed 签约；started 开工；topped_out 封顶；delivered 交付；completed 竣工、建成；"
         "opened 开业、开园、投用；operating 投产、运营；approved 获批；launched 启动、揭牌、发布；other 其他（见 label）。",
         "Event: signed, started (construction started), topped_out, delivered, completed, opened, operating "
         "(in operation), approved, launched, other (see the label).", enum=EVENTS, required=True),
    _col("label_zh", "string", "里程碑的简短说明（中文）。", "What happened or is planned, in Chinese.", required=True),
    _col("label_en", "string", "里程碑的简短说明（英文）。", "What happened or is planned, in English.", required=True),
    _col("date", "string", "里程碑日期，精度与原文一致，写法同 period（2024-03 为月份）。",
         "Date of the step, only as precise as the article gives it; written like period (2024-03 is a month).",
         required=True),
    _col("done", "boolean", "true 表示文章报道已经完成，false 表示尚在计划中。",
         "true if the article reports it as done, false if planned.", required=True),
    _col("same_as", "string", "另一篇文章报道同一步骤的里程碑编号（后报道的指向先报道的）；否则为空。",
         "Id of another article's milestone for the same step (the later report points to the earlier); else empty."),
    SOURCE, QUOTE, QUOTE_EN, NOTE_ZH, NOTE_EN,
    _url("该里程碑在中文网页上的位置，", "The milestone's place on the Chinese site, "),
)

_FACT_ID = _col("fact", "string", "事实编号（facts 表的 id）。", "Fact id (id in facts).", required=True)
PLAN_COLUMNS = (
    ID,
    _col("subject_zh", "string", "目标所针对的事项（中文）。", "What the target is about, in Chinese.", required=True),
    _col("subject_en", "string", "目标所针对的事项（英文）。", "What the target is about, in English.", required=True),
    UNIT,
    *(_sided(side, c) for side in ("target", "outcome")
      for c in (_FACT_ID, VALUE, VALUE_HIGH, QUALIFIER, PERIOD, SOURCE)),
    _col("status", "string", "对照结果：met 达成；missed 未达成；partly 部分达成；probably_missed 可能未达成（结果未注明年份或可能未更新）；"
         "not_comparable 不可比（结果衡量的是另一指标、范围或单位）；no_report 后来的文章没有报道结果。",
         "Status: met, missed, partly (partly met), probably_missed (the outcome gives no year or may not be up to "
         "date), not_comparable (the outcome measures another indicator, scope or unit), no_report (no later "
         "article reports a result).",
         enum=STATUSES, required=True),
    _col("difference", "number", "结果减目标，两者均为单一数值且单位相同时才计算；否则为空。",
         "Outcome minus target, given only when both are single numbers in the same unit; else empty."),
    NOTE_ZH, NOTE_EN,
    _url("该对照在中文网页上的位置，", "The pair's place on the Chinese site, "),
)

SOURCE_COLUMNS = (
    replace(ID, description=Text("文章编号，如 2024-02。", "Article id, e.g. 2024-02.")),
    _col("headline_zh", "string", "标题，与刊出时一致。", "Headline as printed (Chinese).", required=True),
    _col("headline_en", "string", "标题的英文译文（本项目翻译）。", "Our English translation of the headline.",
         required=True),
    _col("headline", "object", "标题，形如 {zh, en} 的对象（仅 JSON 文件）。",
         "The headline as an object {zh, en} (JSON file only).", required=True),
    _col("outlet_zh", "string", "刊登的报纸；未署名时写明推断。", "Newspaper, or our inference when not printed (Chinese).",
         required=True),
    _col("outlet_en", "string", "刊登的报纸（英文）。", "The newspaper in English.", required=True),
    _col("byline_zh", "string", "署名，与刊出时一致。", "Byline as printed (Chinese).", required=True),
    _col("byline_en", "string", "署名（英文）。", "The byline in English.", required=True),
    _col("date", "string", "发表日期，精度以能推断者为限（2022-04 为月份）。",
         "Date of publication, only as precise as it can be inferred (2022-04 is a month).", required=True),
    _col("file", "string", "文章文本的文件名（文本不随本站发布）。",
         "File name of the article's text (the texts are not published with the site).", required=True),
    _col("sha256", "string", "该文件的 SHA-256 校验值，可用来核对手头的文本是否为同一版本。",
         "SHA-256 of that file, to check that a copy of the text is the same version.", required=True),
    _url("文章页面，", "The article's page on the Chinese site, "),
)


# --- Rows -------------------------------------------------------------------------

def _range(value) -> tuple[float | None, float | None]:
    """Split a value into (low, high); high is None for a single number, both for a ranking in words."""
    return value if isinstance(value, tuple) else (value, None)


def _both_object(text: Text) -> dict:
    """Return a bilingual text as the JSON files' object `{zh, en}`."""
    return {language.code: text.get(language.code) for language in LANGUAGES}


def _pair(text: Text | None, stem: str) -> dict:
    """Return `{stem_zh, stem_en}` from an optional bilingual text (None when absent)."""
    return {f"{stem}_zh": text.zh if text else None, f"{stem}_en": text.en if text else None}


def _fact_rows(linked: Linked, urls: Urls) -> Iterator[dict]:
    """Yield one record per fact, in content order."""
    for f in linked.site.facts:
        low, high = _range(f.value)
        yield {"id": f.id, "theme": f.theme, **_pair(f.subject, "subject"),
               "subject": _both_object(f.subject), "value": low, "value_high": high,
               "unit": f.unit, "qualifier": f.qualifier, "period": f.period.iso(), "kind": f.kind,
               "scope": f.scope, "indicator": f.indicator, **_pair(f.rank, "rank"),
               "source": f.citation.source, "quote": f.citation.quote, "quote_en": f.citation.quote_en,
               **_pair(f.note, "note"), "url": site_url(urls, urls.fact(f.id))}


def series_rows(linked: Linked, urls: Urls, only: str | None = None) -> Iterator[dict]:
    """Yield one record per observation of every series (`Row.is_series`), by theme, series and period; or of one
    series (`only`)."""
    chosen = (linked.series[only],) if only else (r for rows in linked.rows.values() for r in rows if r.is_series)
    for row in chosen:  # one series goes straight to its row: a scan of every row per series' file was quadratic
        for f in row.facts:
            low, high = _range(f.value)
            yield {"indicator": row.id, "theme": row.theme, **_pair(row.name, "name"), "fact": f.id,
                   "period": f.period.iso(), "kind": f.kind, "value": low, "value_high": high,
                   "unit": f.unit, "qualifier": f.qualifier, "scope": f.scope,
                   "source": f.citation.source, "conflict": f.id in row.conflicts,
                   "url": site_url(urls, urls.observation(f.id))}


def _milestone_rows(linked: Linked, urls: Urls) -> Iterator[dict]:
    """Yield one record per milestone, by project and date."""
    for project in linked.site.projects:
        for m in linked.project_milestones[project.id]:
            yield {"id": m.id, "project": project.id, **_pair(project.name, "project"), "event": m.event,
                   **_pair(m.label, "label"), "date": m.date.iso(), "done": m.done, "same_as": m.same_as,
                   "source": m.citation.source, "quote": m.citation.quote, "quote_en": m.citation.quote_en,
                   **_pair(m.note, "note"), "url": site_url(urls, urls.milestone(m.id))}


def _plan_rows(linked: Linked, urls: Urls) -> Iterator[dict]:
    """Yield one record per plan with the target's and the outcome's figures."""
    for p in linked.plans:
        row = {"id": p.plan.id, **_pair(p.target.subject, "subject"), "unit": p.target.unit}
        for side, fact in (("target", p.target), ("outcome", p.outcome)):
            low, high = _range(fact.value) if fact else (None, None)
            row |= {side: fact.id if fact else None, f"{side}_value": low, f"{side}_value_high": high,
                    f"{side}_qualifier": fact.qualifier if fact else None,
                    f"{side}_period": fact.period.iso() if fact else None,
                    f"{side}_source": fact.citation.source if fact else None}
        yield row | {"status": p.plan.status, "difference": p.difference, **_pair(p.plan.note, "note"),
                     "url": site_url(urls, urls.plan(p.plan.id))}


def _source_rows(linked: Linked, urls: Urls) -> Iterator[dict]:
    """Yield one record per source article."""
    for s in linked.site.sources:
        yield {"id": s.id, **_pair(s.headline, "headline"), "headline": _both_object(s.headline),
               **_pair(s.outlet, "outlet"), **_pair(s.byline, "byline"), "date": s.date.iso(), "file": s.file,
               "sha256": s.sha256, "url": site_url(urls, urls.source(s.id))}


TABLES: tuple[Table, ...] = (
    Table("facts", Text("数字", "Facts"),
          Text("五篇报道中的每一个数字，一行一个，附陈述它的原文。",
               "Every figure in the five articles, one per row, with the passage that states it."),
          FACT_COLUMNS, "id", (("source", "sources"),), _fact_rows),
    Table("series", Text("指标序列", "Indicator series"),
          Text("多次报道的指标的每个观测值，按时间排列；这些数字也在 facts 表中。",
               "Each observation of the measures reported more than once, in time order; the same figures are "
               "in facts."),
          SERIES_COLUMNS, "fact", (("fact", "facts"), ("source", "sources")), series_rows),
    Table("milestones", Text("项目与里程碑", "Projects and milestones"),
          Text("文中具体提到的项目、园区和片区的各个里程碑，已完成或计划中。",
               "The dated steps of named projects, parks and areas, done or planned."),
          MILESTONE_COLUMNS, "id", (("source", "sources"),), _milestone_rows),
    Table("plans", Text("目标与结果", "Plans vs outcomes"),
          Text("一篇文章提出的目标，与后来文章报道的结果配对。",
               "A target set in one article, paired with the result a later article reports."),
          PLAN_COLUMNS, "id", (("target", "facts"), ("outcome", "facts"), ("target_source", "sources"),
                               ("outcome_source", "sources")), _plan_rows),
    Table("sources", Text("来源", "Sources"),
          Text("五篇报道：标题、报纸、日期，以及文本文件的校验值。",
               "The five articles: headline, newspaper, date and the checksum of the text file."),
          SOURCE_COLUMNS, "id", (), _source_rows),
)
"""The downloads, in the order the downloads page lists them."""

PACKAGE = "data/datapackage.json"
TYPE_LABELS = {"string": N_("text"), "number": N_("number"), "boolean": N_("true or false"),
               "object": N_("object, JSON only")}
"""How the downloads page names each column type."""
