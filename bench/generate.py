#!/usr/bin/env python3
"""Generate a synthetic content folder shaped like content/, with N sources and their article texts.

    python bench/generate.py N [--out bench/out/N]

Writes OUT/content/ (sources.yaml, themes.yaml, scopes.yaml, glossary.yaml, indicators.yaml, projects.yaml,
plans.yaml, site.yaml, facts/<source>.yaml, pages/about.{zh,en}.md) and OUT/sources/<source>.txt, so that
`build.py --content OUT/content --sources OUT/sources --strict` passes: every quotation occurs in its article,
every value in its quotation, every glossary term keeps its English rendering.

Each source has 60 facts and 10 milestones with text of the real content's length (subjects, notes,
quotations and their translations, summaries), and an article of about 5,000 characters (about 15 KB, like the real ones). The output is a
function of N alone (seeded), so runs on different machines build the same site.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTS_PER_SOURCE = 60
MILESTONES_PER_SOURCE = 10
ARTICLE_CHARS = 5_000

# Chinese and English filler vocabularies. Glossary terms are made from TERM_CHARS, which occur nowhere
# else, so a term appears in a Chinese text only where the generator puts it (with its English rendering).
ZH_WORDS = ("推动", "加快", "建设", "发展", "创新", "产业", "项目", "园区", "企业", "服务", "提升", "打造", "全面",
            "深化", "改革", "开放", "高质量", "数字", "经济", "城市", "更新", "招商", "引资", "平台", "人才", "科技",
            "金融", "文化", "旅游", "乡村", "振兴", "生态", "环境", "绿色", "低碳", "民生", "教育", "医疗", "养老",
            "就业", "交通", "道路", "片区", "开发", "重点", "工程", "投资", "增长", "规模", "质量", "效益", "体系",
            "机制", "政策", "支持", "引导", "培育", "壮大", "集聚", "融合", "协同", "示范", "标杆", "优势", "特色",
            "品牌", "市场", "主体", "活力", "动力", "韧性", "安全", "治理", "现代化", "国际化", "智慧", "网络",
            "数据", "算力", "制造", "研发", "转化", "成果", "专利", "标准", "链条", "集群", "载体", "空间", "功能",
            "配套", "设施", "公园", "海岸", "茶园", "山海", "湾区", "街道", "社区", "居民", "群众", "幸福", "品质")
ZH_GLUE = ("的", "和", "与", "在", "将", "已", "并", "进一步", "持续", "不断", "围绕", "依托", "聚焦", "着力")
EN_WORDS = ("promote", "accelerate", "build", "develop", "innovation", "industry", "project", "park", "enterprise",
            "service", "improve", "create", "comprehensive", "deepen", "reform", "opening-up", "high-quality",
            "digital", "economy", "city", "renewal", "investment", "platform", "talent", "technology", "finance",
            "culture", "tourism", "rural", "revitalisation", "ecology", "environment", "green", "low-carbon",
            "livelihood", "education", "health care", "elderly care", "employment", "transport", "road", "area",
            "development", "key", "works", "growth", "scale", "quality", "system", "mechanism", "policy", "support",
            "cluster", "integration", "demonstration", "advantage", "brand", "market", "vitality", "resilience",
            "safety", "governance", "modernisation", "smart", "network", "data", "computing", "manufacturing",
            "research", "patents", "standards", "chain", "space", "facilities", "coast", "tea gardens", "community",
            "residents", "well-being")
EN_GLUE = ("the", "of", "and", "in", "to", "for", "with", "by", "further", "steadily", "around", "on")
TERM_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥鼎鼐彝爵觚觥斝卣罍瓿"
TERM_WORDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa", "lambda", "sigma", "omega",
              "orion", "lyra", "vega", "rigel", "altair", "deneb", "sirius", "polaris", "castor", "pollux", "mira")

UNITS = (  # unit, weight, value maker, zh and en wording of the value inside a quotation
    ("count", 50, lambda r: r.randint(2, 2000), "{}", "{}"),
    ("100m_yuan", 14, lambda r: round(r.uniform(1, 3000), r.choice((0, 1, 2))), "{}亿元", "CNY {} hundred million"),
    ("percent", 12, lambda r: round(r.uniform(0.5, 40), 1), "{}%", "{}%"),
    ("year", 3, lambda r: r.randint(2, 40), "{}年", "{} years"),
    ("rank", 3, lambda r: r.randint(1, 10), "第{}", "No. {}"),
    ("person", 3, lambda r: r.randint(10, 90000), "{}人", "{} people"),
    ("10k_yuan", 3, lambda r: round(r.uniform(10, 9000), 1), "{}万元", "CNY {} ten thousand"),
    ("10k_sq_m", 3, lambda r: round(r.uniform(1, 300), 1), "{}万平方米", "{} ten thousand m²"),
    ("sq_km", 2, lambda r: round(r.uniform(0.5, 60), 1), "{}平方公里", "{} km²"),
    ("mu", 2, lambda r: r.randint(50, 9000), "{}亩", "{} mu"),
    ("km", 2, lambda r: round(r.uniform(1, 80), 1), "{}公里", "{} km"),
    ("10k_person", 1, lambda r: round(r.uniform(1, 60), 1), "{}万人", "{} ten thousand people"),
)
COUNTERS = ("个", "家", "项", "条", "处", "所", "座", "")
QUALIFIERS = (("exact", 80), ("over", 15), ("about", 3), ("nearly", 1), ("under", 1))
KINDS = (("target", 50), ("result", 22), ("as_of", 28))
EVENTS = ("signed", "started", "topped_out", "delivered", "completed", "opened", "operating", "approved",
          "launched", "other")


class Writer:
    """Text of the right length in both languages, from one seeded random generator."""

    def __init__(self, rng: random.Random, terms: list[tuple[str, str]]):
        self.r = rng
        self.terms = terms

    def zh(self, chars: int) -> str:
        """Return Chinese filler of about `chars` characters, with a comma every dozen or so."""
        out, since = [], 0
        while sum(map(len, out)) < chars:
            out.append(self.r.choice(ZH_WORDS if len(out) % 3 != 1 else ZH_GLUE))
            since += len(out[-1])
            if since > 12 and self.r.random() < 0.3:
                out.append("，")
                since = 0
        return "".join(out).strip("，")

    def en(self, chars: int) -> str:
        """Return English filler of about `chars` characters."""
        out: list[str] = []
        while sum(map(len, out)) + len(out) < chars:
            out.append(self.r.choice(EN_WORDS if len(out) % 3 != 1 else EN_GLUE))
        text = " ".join(out)
        return text[0].upper() + text[1:]

    def text(self, zh: int, en: int, term: float = 0.25) -> tuple[str, str]:
        """Return a bilingual text; with probability `term` it uses a glossary term in both languages."""
        a, b = self.zh(zh), self.en(en)
        if self.r.random() < term:
            tz, te = self.r.choice(self.terms)
            a, b = f"{a[: zh // 2]}{tz}{a[zh // 2:]}", f"{b} ({te})"
        return a, b


def pick(r: random.Random, table) -> tuple:
    """Choose a row of a table whose second column is a weight."""
    return r.choices(table, weights=[row[1] for row in table])[0]


def q(text: str) -> str:
    """Quote a string for YAML (a JSON string is a YAML double-quoted scalar)."""
    return json.dumps(text, ensure_ascii=False)


def bi(pair: tuple[str, str]) -> str:
    """Write a bilingual text inline."""
    return f"{{zh: {q(pair[0])}, en: {q(pair[1])}}}"


def number(value) -> str:
    """Write a value as the article would (220.38, 1000)."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _value(r: random.Random, unit: tuple):
    """Return a value for a unit: a number, or (3 % of the time) a [low, high] range."""
    value = unit[2](r)
    if r.random() < 0.03 and unit[0] not in ("rank", "percent"):
        return [value, value * 2 if isinstance(value, int) else round(value * 2, 1)]
    return value


def _shown(unit: tuple, value, column: int) -> str:
    """Write a value with its unit as a quotation states it, in zh (column 3) or en (column 4)."""
    sep = "—" if column == 3 else "–"
    text = sep.join(map(number, value)) if isinstance(value, list) else number(value)
    return unit[column].format(text)


def period(r: random.Random, year: int) -> str:
    """Return a period near `year` in the content syntax, with the real content's mix of precisions."""
    roll = r.random()
    if roll < 0.55:
        return str(year + r.choice((-1, 0, 0, 1)))
    if roll < 0.70:
        return f"{year}-{r.randint(1, 12):02d}"
    if roll < 0.78:
        return f"{year}-{r.choice(('early', 'mid', 'end'))}"
    if roll < 0.84:
        return f"{year}-Q{r.randint(1, 4)}"
    if roll < 0.88:
        return f"{year}-H{r.randint(1, 2)}"
    if roll < 0.91:
        return f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    return f"{year}/{year + r.randint(1, 5)}"


def past_period(r: random.Random, year: int) -> str:
    """Return a period that ended before `year` began: what a result or a total in an article of `year` is about."""
    text = period(r, year - 1)
    return text if "/" not in text and not text.startswith(str(year)) else str(year - 1)


def generate(n: int, out: Path) -> None:
    """Write the synthetic content and article texts for `n` sources into `out`."""
    r = random.Random(n)
    content, texts = out / "content", out / "sources"
    if out.exists():
        shutil.rmtree(out)
    (content / "facts").mkdir(parents=True)
    (content / "pages").mkdir()
    texts.mkdir()

    term_count = 60 + n // 5
    pieces = [a + b for a in TERM_CHARS for b in TERM_CHARS if a != b]
    r.shuffle(pieces)
    terms = [(pieces[2 * i] + pieces[2 * i + 1], f"{TERM_WORDS[i % len(TERM_WORDS)]} {TERM_WORDS[i // len(TERM_WORDS) % len(TERM_WORDS)]} {i}")
             for i in range(term_count)]
    w = Writer(r, terms)

    shutil.copy(ROOT / "content" / "themes.yaml", content / "themes.yaml")
    for page in sorted((ROOT / "content" / "pages").glob("*.md")):
        shutil.copy(page, content / "pages" / page.name)
    import yaml  # only to read the theme ids back

    themes = [t["id"] for t in yaml.safe_load((content / "themes.yaml").read_text("utf-8"))["themes"]]

    scopes = [("district", ("崂山区", "Laoshan District"))] + [
        (f"zone-{i}", w.text(8, 30, 0)) for i in range(1, 5 + n // 10)]
    (content / "scopes.yaml").write_text("scopes:\n" + "".join(
        f"  - id: {sid}\n    name: {bi(name)}\n" for sid, name in scopes), "utf-8")
    (content / "glossary.yaml").write_text("terms:\n" + "".join(
        f"  - zh: {tz}\n    en: {te}\n" + (f"    note: {bi(w.text(30, 100, 0))}\n" if i % 2 else "")
        for i, (tz, te) in enumerate(terms)), "utf-8")

    units = list(UNITS)
    indicators = []
    for i in range(max(8, 8 * n)):
        unit = pick(r, units)
        indicators.append((f"ind-{i:05d}", r.choice(themes), w.text(12, 50), unit,
                           w.text(40, 120) if r.random() < 0.2 else None))
    _write_themes(content / "themes.yaml", indicators)
    (content / "indicators.yaml").write_text("indicators:\n" + "".join(
        f"  - id: {iid}\n    theme: {theme}\n    name: {bi(name)}\n    unit: {unit[0]}\n"
        + (f"    note: {bi(note)}\n" if note else "")
        for iid, theme, name, unit, note in indicators), "utf-8")

    projects = [(f"proj-{i:05d}", w.text(10, 45), r.choice(themes), w.text(35, 110) if r.random() < 0.8 else None)
                for i in range(max(4, 4 * n))]
    (content / "projects.yaml").write_text("projects:\n" + "".join(
        f"  - id: {pid}\n    name: {bi(name)}\n    theme: {theme}\n" + (f"    description: {bi(desc)}\n" if desc else "")
        for pid, name, theme, desc in projects), "utf-8")

    drawn: dict[str, dict[float, str]] = {}  # indicator -> where its periods are drawn -> period
    sources_yaml = ["sources:\n"]
    targets: list[tuple[int, str, str]] = []  # (source index, fact id, unit)
    outcomes: list[tuple[int, str, str]] = []
    headline_facts: list[str] = []
    for s in range(n):
        year = 2000 + s * 25 // max(n, 1)
        month = 1 + (s * 7) % 12
        sid = f"s{s:04d}"
        facts, milestones, sentences = [], [], []
        follow: tuple | None = None  # (unit row, value, quote, quote_en) for a fact citing the previous clause
        for f in range(FACTS_PER_SOURCE):
            fid = f"{sid}-f{f:02d}"
            if follow is not None:
                unit, value, quote, quote_en = follow
                indicator, theme, follow = None, r.choice(themes), None
            else:
                if r.random() < 0.4:
                    ind = indicators[(s * 8 + r.randint(-12, 12)) % len(indicators)]
                    indicator, theme, unit = ind[0], ind[1], ind[3]
                else:
                    indicator, theme, unit = None, r.choice(themes), pick(r, units)
                value = _value(r, unit)
                lead = w.text(18, 70)
                quote, quote_en = f"{lead[0]}{_shown(unit, value, 3)}", f"{lead[1]} {_shown(unit, value, 4)}"
                if r.random() < 0.12 and f + 1 < FACTS_PER_SOURCE:
                    # The next fact cites the same clause, as when an article states two figures at once.
                    second = _value(r, unit)
                    quote += f"，{w.zh(6)}{_shown(unit, second, 3)}"
                    quote_en += f", {w.en(20)} {_shown(unit, second, 4)}"
                    follow = (unit, second, quote, quote_en)
                sentences.append(quote)
            name = unit[0]
            qual = pick(r, QUALIFIERS)[0]
            kind = pick(r, KINDS)[0]
            counter = r.choice(COUNTERS) if name == "count" else ""
            subject = w.text(14, 55)
            scope = "district"
            if r.random() < 0.2:
                scope = (r.choice(scopes)[0] if r.random() < 0.5
                         else projects[(s * 4 + r.randint(-6, 6)) % len(projects)][0])
            lines = [f"  - id: {fid}", f"    theme: {theme}", f"    subject: {bi(subject)}",
                     f"    value: {json.dumps(value)}", f"    unit: {name}"]
            if counter:
                lines.append(f"    counter: {counter}")
            if qual != "exact":
                lines.append(f"    qualifier: {qual}")
            when = period(r, year) if kind == "target" else past_period(r, year)
            if indicator:  # see _drawn_at: the generator's charts cannot draw two periods at one point of time
                for _ in range(20):
                    if drawn.setdefault(indicator, {}).setdefault(_drawn_at(when), when) == when:
                        break
                    when = period(r, year) if kind == "target" else past_period(r, year)
            lines += [f"    period: {when}", f"    kind: {kind}"]
            if scope != "district":
                lines.append(f"    scope: {scope}")
            if indicator:
                lines.append(f"    indicator: {indicator}")
            if r.random() < 0.05:
                lines.append(f"    rank: {bi(w.text(5, 20, 0))}")
            lines += [f"    source: {sid}", f"    quote: {q(quote)}", f"    quote_en: {q(quote_en)}"]
            if r.random() < 0.55:
                lines.append(f"    note: {bi(w.text(45, 150))}")
            facts.append("\n".join(lines) + "\n")
            measure = (name, indicator, scope)  # a plan pairs figures of one measure
            if kind == "target" and not isinstance(value, list):
                targets.append(((year, month), fid, measure))
            elif kind != "target" and not isinstance(value, list):
                outcomes.append(((year, month), fid, measure))
            if len(headline_facts) < 6 and f == 0:
                headline_facts.append(fid)
        for m in range(MILESTONES_PER_SOURCE):
            project = projects[(s * 4 + r.randint(-6, 6)) % len(projects)][0]
            quote, quote_en = w.text(28, 100, 0)
            sentences.append(quote)
            lines = [f"  - id: {sid}-m{m:02d}", f"    project: {project}", f"    event: {r.choice(EVENTS)}",
                     f"    label: {bi(w.text(10, 40, 0))}", f"    date: {period(r, year).split('/')[0]}",
                     f"    done: {'true' if r.random() < 0.3 else 'false'}", f"    source: {sid}",
                     f"    quote: {q(quote)}", f"    quote_en: {q(quote_en)}"]
            if r.random() < 0.2:
                lines.append(f"    note: {bi(w.text(45, 150, 0))}")
            milestones.append("\n".join(lines) + "\n")
        (content / "facts" / f"{sid}.yaml").write_text(
            f"# Facts and milestones of synthetic source {sid}.\nfacts:\n" + "".join(facts)
            + "\nmilestones:\n" + "".join(milestones), "utf-8")

        article = _article(w, sentences)
        file = f"{sid}-article.txt"
        (texts / file).write_text(article, "utf-8")
        sha = hashlib.sha256(article.encode("utf-8")).hexdigest()
        topics = "".join(f"      - {bi(w.text(10, 40, 0))}\n" for _ in range(r.randint(3, 5)))
        sources_yaml.append(
            f"  - id: {sid}\n    headline: {bi(w.text(22, 90))}\n"
            f"    short: {{zh: {year}年{month}月报道{s}, en: report {s} of {year}-{month:02d}}}\n"
            + (f"    kicker: {bi(w.text(18, 70, 0))}\n" if r.random() < 0.5 else "    kicker: null\n")
            + f"    outlet: {bi(w.text(8, 35, 0))}\n    byline: {bi(w.text(10, 30, 0))}\n"
            f"    date: {year}-{month:02d}\n    date_basis: {bi(w.text(150, 420, 0))}\n"
            f"    file: {file}\n    sha256: {sha}\n    summary: {bi(w.text(200, 600))}\n    topics:\n{topics}")
    (content / "sources.yaml").write_text("".join(sources_yaml), "utf-8")

    plans = []
    by_measure: dict[tuple, list[tuple[tuple[int, int], str]]] = {}
    for published, fid, measure in outcomes:
        by_measure.setdefault(measure, []).append((published, fid))
    for i, (published, fid, measure) in enumerate(targets[:: max(1, len(targets) // max(1, 2 * n))]):
        later = [o for o in by_measure.get(measure, ()) if o[0] > published]
        if later and r.random() < 0.8:
            outcome, status = r.choice(later[:20])[1], r.choice(("met", "missed", "partly"))
        else:
            outcome, status = None, "no_report"
        plans.append(f"  - id: plan-{i:05d}\n    target: {fid}\n    outcome: {outcome or 'null'}\n    status: {status}\n"
                     + (f"    note: {bi(w.text(40, 130, 0))}\n" if r.random() < 0.3 else ""))
    (content / "plans.yaml").write_text("plans:\n" + "".join(plans), "utf-8")
    (content / "site.yaml").write_text(
        "title: {zh: 崂山区数据简报（合成）, en: Laoshan District Fact Sheet (synthetic)}\n"
        "name: laoshan-factsheet\n"
        f"description: {bi(w.text(60, 180, 0))}\n"
        "publisher: {zh: 基准测试, en: Benchmark}\n"
        "license: {zh: 知识共享署名 4.0 国际许可协议（CC BY 4.0）, en: Creative Commons Attribution 4.0 International (CC BY 4.0)}\n"
        "license_url: https://creativecommons.org/licenses/by/4.0/\n"
        "headline_facts:\n" + "".join(f"  - {fid}\n" for fid in headline_facts), "utf-8")


def _drawn_at(period_text: str) -> float:
    """Return the point of time a chart draws a period at (factsheet/chart_layout.py `midpoint`).

    Two different periods of one series drawn at the same point (2005-02 and 2005-Q1, 2006-12 and 2006-end, 2002
    and 2001/2003), when they are all its observations, make `chart_layout.positions` divide by zero and the build fail
    (an internal error at N = 500): the synthetic series avoid it, which changes nothing else.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from factsheet.chart_layout import placed_span
    from factsheet.fields import parse_date

    start, _, end = period_text.partition("/")
    first, last = placed_span(parse_date(start)[0], parse_date(end)[0] if end else None)
    return (first.toordinal() + last.toordinal() + 1) / 2


def _write_themes(path: Path, indicators: list[tuple]) -> None:
    """Rewrite the copied themes.yaml so that a theme's `lead` names as many synthetic indicators of that theme as
    the real one names real indicators (the real ids do not exist here); drawn in order, not from the generator."""
    lines, theme = [], None
    for line in path.read_text("utf-8").splitlines(keepends=True):
        if line.startswith("  - id: "):
            theme = line.split(":", 1)[1].strip()
        elif line.startswith("    lead: ["):
            wanted = len([x for x in line.split("[", 1)[1].split("]", 1)[0].split(",") if x.strip()])
            ids = [iid for iid, t, *_ in indicators if t == theme][:wanted]
            line = f"    lead: [{', '.join(ids)}]\n" if ids else ""
        lines.append(line)
    path.write_text("".join(lines), "utf-8")


def _article(w: Writer, sentences: list[str]) -> str:
    """Return an article of about ARTICLE_CHARS characters holding every quotation, in order."""
    filler = max(0, ARTICLE_CHARS - sum(map(len, sentences))) // max(1, len(sentences))
    paragraphs, paragraph = [w.zh(20), ""], []
    for sentence in sentences:
        paragraph.append(f"{w.zh(filler)}，{sentence}。")
        if len(paragraph) >= 4:
            paragraphs.append("".join(paragraph))
            paragraph = []
    paragraphs.append("".join(paragraph))
    return "\n\n".join(p for p in paragraphs if p) + "\n"


def main() -> None:
    """Parse arguments and generate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of sources")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: bench/out/N)")
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / "out" / str(args.n)
    generate(args.n, out)
    print(f"Generated {args.n} sources → {out}")


if __name__ == "__main__":
    main()
