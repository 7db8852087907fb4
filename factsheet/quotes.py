"""Quotations against their articles: every article's sha256, every quotation found verbatim (white space aside) in
its article, every value among the numbers its quotation writes (Arabic or Chinese numerals). Part of link (stage 3),
which runs it when the articles are given."""

from __future__ import annotations

import hashlib
import re

from .model import ContentError, Fact, Milestone, Site
from .speed import reuse

WS_RE = re.compile(r"\s+")
ARABIC_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?")
HAN_NUM_RE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
HAN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
HAN_BIG = {"万": 10_000, "亿": 100_000_000}
HALF_RE = re.compile(r"(?:年|个月|个|天|小时)?半")
BARE_HALF_RE = re.compile(r"(?<![零〇一二两三四五六七八九十百千\d上下])半(?:年|个月|天|小时)")
"""半年 with no numeral before it: half a year, 0.5 (上半年 and 下半年 are halves of a year, not a duration)."""
RANK_FIRST = ("首位", "首个", "首台", "首家", "首批", "领跑", "最大", "最高", "最多", "第一", "龙头")
"""Words that state a first place without a numeral, accepted for unit `rank` with value 1."""


def normalize(text: str) -> str:
    """Remove all white space, as the quotation check compares texts."""
    return WS_RE.sub("", text)


def numbers_in(quote: str, unit: str = "") -> set[float]:
    """Return every number written in `quote`, in Arabic or Chinese numerals (一年半 counts as 1.5)."""
    found = {float(m.replace(",", "")) for m in ARABIC_RE.findall(quote)}
    for match in HAN_NUM_RE.finditer(quote):
        run = match.group()
        for candidate in (run, run.rstrip("万亿")):
            value = han_to_number(candidate)
            if value is not None:
                found.add(float(value))
                if HALF_RE.match(quote, match.end()):
                    found.add(value + 0.5)
    if BARE_HALF_RE.search(quote):
        found.add(0.5)
    if unit == "rank" and any(word in quote for word in RANK_FIRST):
        found.add(1.0)
    return found


def han_to_number(text: str) -> int | None:
    """Convert Chinese numerals (三, 十五, 二百三十, 1万 excluded) to an int; None if not a number."""
    if not text:
        return None
    if all(ch in HAN_DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(HAN_DIGITS[ch]) for ch in text))  # 二〇二三 style
    total = section = digit = 0
    for ch in text:
        if ch in HAN_DIGITS:
            digit = HAN_DIGITS[ch]
        elif ch in HAN_UNITS:
            section += (digit or 1) * HAN_UNITS[ch]
            digit = 0
        elif ch in HAN_BIG:
            total += (section + digit or 1) * HAN_BIG[ch]  # a bare 万 is 一万
            section = digit = 0
        else:
            return None
    return total + section + digit


def verify(site: Site, sources, items, texts: dict[str, bytes], errors, memo: dict | None = None
            ) -> dict[tuple[str, str], int]:
    """Check hashes, quotations and values against the article texts; return quote positions. With `memo` (see
    `link`), an item verified by the last call against the same texts and articles is not verified again."""
    checked = reuse(memo, "verify", (tuple(map(id, site.sources)), id(texts)), (site.sources, texts))
    articles = reuse(memo, "articles", None)
    normalized: dict[str, str] = {}
    for source in site.sources:
        data = texts.get(source.file)
        if data is None:
            errors.append(ContentError(source.loc.path, source.loc.line, f"{source.id}.file",
                                       f"{source.file!r} is not in the sources folder",
                                       "check the file name, or pass the right folder with --sources"))
            continue
        if isinstance(data, ContentError):
            errors.append(data)
            continue
        digest, text = articles.get(data, _article)
        if digest != source.sha256:
            errors.append(ContentError(source.loc.path, source.loc.line, f"{source.id}.sha256",
                                       f"{source.file} has sha256 {digest}, not {source.sha256}",
                                       "the article text changed: re-check every quotation, then update sha256"))
        if isinstance(text, UnicodeDecodeError):
            errors.append(ContentError(source.file, data[: text.start].count(b"\n") + 1, "",
                                       f"the article is not valid UTF-8 (byte 0x{data[text.start]:02x})",
                                       "save the article text as UTF-8"))
        else:
            normalized[source.id] = text
    articles.done()
    positions: dict[tuple[str, str], int] = {}
    for item in items:
        cit = item.citation
        text = normalized.get(cit.source)
        if text is None:
            continue
        pos, quote, found = checked.get(item, lambda item: _verify_item(item, text, sources))
        errors += found
        if pos >= 0:
            positions[(cit.source, quote)] = pos
    checked.done()
    return positions


def _article(data: bytes) -> tuple[str, str | UnicodeDecodeError]:
    """Return an article's sha256 and its text with white space removed, or why it is not UTF-8."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        return digest, normalize(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return digest, exc


def _verify_item(item: Fact | Milestone, text: str, sources) -> tuple[int, str, list[ContentError]]:
    """Find one item's quotation in its article's normalised text and its value in the quotation; return the
    position (-1 when not found), the quotation as compared (white space removed) and the errors."""
    cit = item.citation
    quote = normalize(cit.quote)
    pos = text.find(quote)
    if pos < 0:
        return pos, quote, [ContentError(item.loc.path, item.loc.line, f"{item.id}.quote",
                                  f"not found verbatim in {sources[cit.source].file}: {cit.quote!r}",
                                  "copy the clause exactly from the article (only white space may differ)")]
    errors = []
    if isinstance(item, Fact) and item.value is None:  # a ranking in words: the words are in the quotation
        if item.rank and normalize(item.rank.zh) not in quote:
            errors.append(ContentError(item.loc.path, item.loc.line, f"{item.id}.rank",
                                       f"{item.rank.zh!r} does not occur in the quotation {cit.quote!r}",
                                       "a ranking stated in words quotes those words"))
    elif isinstance(item, Fact):
        wanted = item.value if isinstance(item.value, tuple) else (item.value,)
        present = numbers_in(cit.quote, item.unit)
        for value in wanted:
            if float(value) not in present:
                errors.append(ContentError(item.loc.path, item.loc.line, f"{item.id}.value",
                                           f"{value:g} does not occur in the quotation {cit.quote!r}",
                                           "quote the clause that states this figure, or correct the value"))
    return pos, quote, errors
