"""Content coverage: every numeric expression in each article, and whether a quotation cites it, a waiver in
`content/uncited.yaml` accounts for it, or nothing does (`build.py coverage`).

The rule for what is a numeric expression. The article text is searched with white space removed (as quotations
are located; a figure broken over two lines is one figure), and an expression is:

- a number: Arabic digits, half- or full-width, with `,` grouping and a decimal point (`1,000`, `220.38`); or
  Chinese numerals with at least one digit or 十 (`三`, `十五`, `二〇二四`, `几十`), or a bare 百/千/万/亿 pair
  or a single one before a unit of money or time (`千亿元`, `百亿级`, `过百万`, `百天`, `亿元以上`);
- with what follows it: an approximation (`余`, `多`, `几`), 万/亿, and a unit or measure word (`220.38亿元`,
  `1.2万人`, `315个`, `七大`, `6张`, `3倍`, `12.3%`, `20余个`, `一年半`, `4个百分点`); or `百分之…`;
- a ranking: `第N…`, `首` with a measure word (`首个`, `首台`), `前N` after a place or 居/列/进/入/持,
  any of them after a place word (`全市第一`, `全省首位`, `全市前三`, `我国首台`), and `之一`;
- a date: year, month, day and part as one expression (`2024年3月20日`, `2023年9月底`, `2023年度`),
  `上半年`/`下半年`, `一季度`, `年底`/`去年底`/`年初`, `半年`;
- pieces joined by a range or product sign are one expression (`2025—2027年`, `2-3件`, `7×24小时`).

Not counted, because the numeral in them counts nothing (`LEXICAL_RE` lists them): 一 as the indefinite article
before a measure word (`一家…公司`, `一个缩影`, `一批`; a count of one is written `1家` in these articles) and in
reduplications (`一个个`); lexicalised words and idioms (`一体化`, `统一`, `一流`, `进一步`, `一切`, `一般`,
`一线`, `新一代`, `两手抓`, `四处`, `长三角`, `十分`, `零部件`, `近零碳`); enumeration markers (`其一`, `一是`);
and `万元GDP`, a unit. A count inside a name (`两会`, `“四新”经济`, `十四五`, `地铁11号线`) is counted: it is
cited when the article uses it as a count, waived as part of a name otherwise. 今年/去年/年内 alone are not
dates here: they carry no figure.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .link import link
from .quotes import normalize
from .load import load_content, load_sources
from .model import ContentError, ContentErrors, Linked, Waiver
from .fields import did_you_mean
from .validate import validate

D = "[0-9０-９]"
HAN_DIGITS = "零〇一二两三四五六七八九"
ARABIC = rf"(?:{D}{{1,3}}(?:,{D}{{3}})+(?!{D})|{D}+)(?:[.．]{D}+)?"
HAN = (rf"几?(?:[十百千万亿]*[{HAN_DIGITS}十][{HAN_DIGITS}十百千万亿]*"
       rf"|[百千万亿]{{2,}}|[百千](?=[天年元])|亿(?=元)|万(?=元))")
NUMBER = rf"(?:{ARABIC}|{HAN})"
UNIT = ("平方公里|平方米|个百分点|百分点|个半月|个月|个小时|年半|周年|小时|分钟|人次|季度|公里|美元|"
        "[元人%％倍个家项条座处所张名位次件套栋台款只种类户辆层间片场部份级代大强点批期届号轮年月天周岁亩米吨]")
PLACE = "全市|全省|全国|全球|全区|国内|省内|市内|国际上|我国|中国|全世界|世界"
RANK_WORD = "位|个|台|家|批|次|栋|座|款|条|套|届|期"
YEAR = rf"(?:{D}{{4}}|[〇零一二三四五六七八九]{{4}})年度?"
MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?"
PART = "(?:底|末|初|上旬|中旬|下旬)"
HALF = "[上下]半年"
QUARTER = "第?[一二三四1-4]季度"
PIECE_RE = re.compile("|".join([
    rf"百分之{HAN}(?:点{HAN})?",
    rf"(?:{PLACE})?(?:第{NUMBER}(?:{UNIT})?|首(?:{RANK_WORD}))",
    rf"(?:{PLACE})前{NUMBER}(?:{UNIT})?|(?<=[居列进入持])前{NUMBER}(?:{UNIT})?",
    "之一",
    rf"{YEAR}(?:{HALF}|{QUARTER}|{MONTH}(?:{D}{{1,2}}日)?)?{PART}?",
    rf"{HALF}|{QUARTER}",
    rf"(?<!{D}){MONTH}(?:{D}{{1,2}}日)?{PART}?",
    r"[今去明]?年(?:底|末|初)",
    rf"{NUMBER}(?:余|多|几)?[万亿]*(?:{UNIT})?",
    "(?<![上下])半(?:年|个月|天|小时)",
]))
"""One piece of a numeric expression; pieces joined by a range or product sign are merged into one."""
JOIN = ("—", "–", "-", "~", "～", "至", "×")
"""Signs that join two pieces into one expression (2025—2027年, 7×24小时)."""

LEXICAL_RE = re.compile("|".join([
    # 一 as the indefinite article before a measure word, and in reduplications (一个个, 一批批).
    f"(?<![{HAN_DIGITS}十百千万亿第之每几])一(?=[个家座处笔栋架艘条位名款颗项件张所种次番批套些])",
    # Lexicalised words and idioms whose numeral counts nothing.
    "一体", "统一", "一流", "进一步", "下一步", "一起", "一直", "唯一", "一切", "一般", "一定", "一线", "一把手",
    "一以贯之", "一成不变", "一竿子", "一贯", "一抓到底", "一分一毫", "一手抓", "一方面", "一系列", "一大批",
    "一下", "一览", "一瞥", "一隅", "一招", "一提", "一页", "一池春水", "逐一", "扫一扫", "每一", "一对一", "新一代",
    "新一轮", "一事全办", "一站服务", "一帮到底", "一步一个脚印", "一级抓一级", "一天紧着一天", "一环紧着一环",
    "一锤紧着一锤", "一仗接着一仗", "一代人有一代人", "一[村户业企]一策", "两手抓", "两不误", "两岸", "两侧",
    "四处", "四溅", "长三角", "十分", "零部件", "零工", "零碳", "万元GDP",
    # Enumeration markers number the article's own points, not things.
    f"其[{HAN_DIGITS}十]", "(?<=[。；;，,：:])[一二三四五六七八九十]是",
]))
"""Words whose numeral counts nothing; masked before numbers are searched for."""
MASK = "\x00"

Status = Literal["cited", "waived", "unaccounted"]
CONTEXT = 15
"""Characters of context shown on each side of an expression."""
HINT = "cite it in a fact or milestone quote, or waive it in content/uncited.yaml with a reason"


@dataclass(frozen=True, slots=True)
class Expression:
    """A numeric expression in an article."""

    text: str
    """The expression as written, white space removed (`2024年3月20日`, `220.38亿元`)."""
    line: int
    """1-based line of its first character in the article file."""
    start: int
    """Offset in the article with white space removed, where quotations are located."""
    end: int
    before: str
    """Up to CONTEXT characters before it (white space removed)."""
    after: str
    """Up to CONTEXT characters after it."""

    def context(self) -> str:
        """Return the expression in brackets with its context, an ellipsis where the article goes on."""
        head = "…" if len(self.before) == CONTEXT else ""
        tail = "…" if len(self.after) == CONTEXT else ""
        return f"{head}{self.before}[{self.text}]{self.after}{tail}"


@dataclass(frozen=True, slots=True)
class Number:
    """A numeric expression with what accounts for it."""

    expression: Expression
    status: Status
    by: tuple[str, ...]
    """Ids of the facts and milestones whose quotation covers it, or where the waivers covering it are written."""


@dataclass(frozen=True, slots=True)
class ArticleCoverage:
    """Every numeric expression of one article, classified."""

    source: str
    """Source id."""
    file: str
    """File name of the article text."""
    src_path: str
    """Path of the article text, as shown in error messages."""
    numbers: tuple[Number, ...]

    def count(self, status: Status) -> int:
        """Return how many numbers have `status`."""
        return sum(n.status == status for n in self.numbers)


@dataclass(frozen=True, slots=True)
class Coverage:
    """The coverage of every article, with the warnings found on the way."""

    articles: tuple[ArticleCoverage, ...]
    warnings: tuple[ContentError, ...]


def find_numbers(text: str) -> tuple[Expression, ...]:
    """Return every numeric expression in an article's text, in order."""
    kept = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    flat = "".join(chunk for _, chunk in kept)
    origin: list[int] = []  # offset in `text` of each character of `flat`
    for start, chunk in kept:
        origin.extend(range(start, start + len(chunk)))
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    masked = LEXICAL_RE.sub(lambda m: MASK * len(m.group()), flat)
    spans: list[list[int]] = []
    for match in PIECE_RE.finditer(masked):
        if spans and masked[spans[-1][1]:match.start()] in JOIN:
            spans[-1][1] = match.end()
        else:
            spans.append([match.start(), match.end()])
    return tuple(Expression(flat[s:e], bisect_right(line_starts, origin[s]), s, e,
                            flat[max(0, s - CONTEXT):s], flat[e:e + CONTEXT]) for s, e in spans)


def check_coverage(content_dir: Path, sources_dir: Path) -> Coverage:
    """Load, validate and link the content with the article texts, then classify every number of each article."""
    site = validate(load_content(content_dir))
    data = load_sources(sources_dir)
    linked = link(site, data)  # raises every content error, unreadable and non-UTF-8 articles among them
    texts = {s.file: data[s.file].decode("utf-8") for s in site.sources if isinstance(data.get(s.file), bytes)}
    return cover(linked, texts, sources_dir)


def cover(linked: Linked, texts: dict[str, str], sources_dir: Path) -> Coverage:
    """Classify every number of each source as cited, waived or unaccounted; raise if a waiver is wrong."""
    flat = {s.id: normalize(texts[s.file]) for s in linked.site.sources if s.file in texts}
    waivers, errors = _locate_waivers(linked, flat)
    if errors:
        raise ContentErrors(errors)
    holding: set[int] = set()  # waivers whose passage holds a number
    useful: set[int] = set()  # waivers whose passage holds a number no quotation cites
    articles = []
    for source in linked.site.sources:
        if source.file not in texts:
            continue
        cited = [(p.position, p.position + len(normalize(p.quote)), p.citing)
                 for p in linked.passages.get(source.id, ()) if p.position >= 0]
        numbers = []
        for found in find_numbers(texts[source.file]):
            by = tuple(i for start, end, ids in cited if start <= found.start and found.end <= end for i in ids)
            covering = [i for i, (waiver, _, start, end) in enumerate(waivers)
                        if waiver.source == source.id and start <= found.start and found.end <= end]
            holding.update(covering)
            if by:
                numbers.append(Number(found, "cited", by))
            else:
                useful.update(covering)
                numbers.append(Number(found, "waived" if covering else "unaccounted",
                                      tuple(f"{waivers[i][0].loc.path}:{waivers[i][0].loc.line}" for i in covering)))
        articles.append(ArticleCoverage(source.id, source.file, str(sources_dir / source.file), tuple(numbers)))
    warnings = list(linked.warnings)
    for i, (waiver, where, _, _) in enumerate(waivers):
        if i not in useful:
            warnings.append(ContentError(waiver.loc.path, waiver.loc.line, where,
                                         "waiver covers nothing unaccounted; remove it",
                                         "every number in its passage is cited by a fact or milestone"
                                         if i in holding else "its passage holds no number"))
    return Coverage(tuple(articles), tuple(warnings))


def _locate_waivers(linked: Linked, flat: dict[str, str]) -> tuple[list[tuple[Waiver, str, int, int]],
                                                                  list[ContentError]]:
    """Find each waiver's passage in its article; return (waiver, where, start, end) and the errors."""
    located: list[tuple[Waiver, str, int, int]] = []
    errors: list[ContentError] = []
    index: dict[str, int] = defaultdict(int)
    first: dict[tuple[str, str], Waiver] = {}
    for waiver in linked.site.waivers:
        where = f"uncited[{index[waiver.loc.path]}]"
        index[waiver.loc.path] += 1
        source = linked.sources.get(waiver.source)
        if source is None:
            errors.append(ContentError(waiver.loc.path, waiver.loc.line, f"{where}.source",
                                       f"unknown source {waiver.source!r}",
                                       did_you_mean(waiver.source, list(linked.sources),
                                                    "source ids are in content/sources.yaml")))
            continue
        quote = normalize(waiver.quote)
        seen = first.setdefault((waiver.source, quote), waiver)
        if seen is not waiver:
            errors.append(ContentError(waiver.loc.path, waiver.loc.line, f"{where}.quote",
                                       f"duplicate waiver of the same passage of {source.file}",
                                       f"first at {seen.loc.path}:{seen.loc.line}; keep one, with one reason"))
            continue
        start = flat[source.id].find(quote) if source.id in flat else -1
        if start < 0:
            errors.append(ContentError(waiver.loc.path, waiver.loc.line, f"{where}.quote",
                                       f"not found verbatim in {source.file}: {waiver.quote!r}",
                                       "copy the passage exactly from the article (only white space may differ)"))
            continue
        located.append((waiver, where, start, start + len(quote)))
    return located, errors


def unaccounted_errors(coverage: Coverage) -> list[ContentError]:
    """Return each unaccounted number as an error located in its article."""
    return [ContentError(article.src_path, number.expression.line, article.source,
                         f"{number.expression.text!r} is neither cited nor waived: {number.expression.context()}", HINT)
            for article in coverage.articles for number in article.numbers if number.status == "unaccounted"]
