"""Markdown to safe HTML, and the one rule for addresses in content.

Python-Markdown renders; nh3 (the Rust `ammonia` sanitiser) then cleans the HTML with a small allow-list of tags,
attributes and URL schemes. Cleaning is the guarantee; anything it would change is also reported, with its line, so
the author learns what would be lost rather than the reader. `url_problem` is the rule every address in the content
meets, in Markdown and in YAML alike: relative paths, `http(s):` and `mailto:` links; images only from the site itself.
"""

from __future__ import annotations

import difflib
import html
import re
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "a", "em", "strong", "code",
                  "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "img", "sup", "sub",
                  "abbr"})
"""Elements prose may use: what Python-Markdown and its table extension make, and nothing that runs or loads."""
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"style"}, "td": {"style"},
              "abbr": {"title"}, "ol": {"start"}}
"""Attributes prose may use; `style` only for a table column's alignment (`text-align`)."""
SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset({"href", "src"})


def url_problem(url: str, image: bool = False) -> str:
    """Return what is wrong with an address in the content, or "" when it may be used.

    >>> url_problem("about.html#method"), url_problem("https://example.org/"), url_problem("mailto:a@b.c")
    ('', '', '')
    >>> url_problem(" JavaScript:alert(1)")
    "the scheme 'javascript:' is not allowed (only http:, https:, mailto: and relative links)"
    >>> url_problem("https://example.org/a.png", image=True)
    'an image must come from the site itself (a relative path), not https://example.org/a.png'
    """
    text = url.strip()
    if re.search(r"[\x00-\x1f\x7f\s]", text):
        return "an address may not hold spaces or control characters (write %20 for a space)"
    parts = urlsplit(text)
    if text.startswith("//"):
        return f"{text} leaves out the scheme and so loads from another site; write https://…"
    if parts.scheme:
        if image:
            return f"an image must come from the site itself (a relative path), not {text}"
        if parts.scheme.lower() not in SCHEMES:
            return f"the scheme {parts.scheme.lower() + ':'!r} is not allowed (only http:, https:, mailto: and relative links)"
        return ""
    if text.startswith("/"):
        return f"{text} starts at the server's root, which breaks the site from file:// and under a sub-path; write a relative link"
    return ""


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: drop any address `url_problem` rejects (nh3 gives values with entities decoded)."""
    if attribute in URL_ATTRIBUTES and url_problem(value, image=tag == "img"):
        return None
    return value


CLEANER = nh3.Cleaner(tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                      attribute_filter=_keep_attribute, url_schemes=set(SCHEMES), link_rel=None,
                      filter_style_properties={"text-align"}, strip_comments=True)


@lru_cache(maxsize=64)
def render_markdown(text: str) -> tuple[str, tuple[tuple[int | None, str], ...]]:
    """Render Markdown to cleaned HTML; return it with (line, problem) for everything cleaning changed.

    >>> render_markdown("A [link](b.html) and *more*.")
    ('<p>A <a href="b.html">link</a> and <em>more</em>.</p>', ())
    >>> for line, problem in render_markdown("x\\n\\n[y](javascript:alert(1))")[1]: print(line, problem)
    3 cleaning would change '<a href="javascript:alert(1)">' to '<a>': the scheme 'javascript:' is not allowed (only http:, https:, mailto: and relative links)
    """
    # A new instance per page: Markdown keeps state (reference links, footnotes) between calls.
    # Extensions as objects, not names: a name makes Markdown search the installed packages' entry points.
    raw = markdown.Markdown(extensions=[TableExtension(), SaneListExtension()], output_format="html").convert(text)
    clean = CLEANER.clean(raw)
    return clean, tuple(_changes(raw, clean, text))


class _Tokens(HTMLParser):
    """An HTML fragment as a list of comparable tokens (tags with sorted attributes, text, comments)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(sorted((k, _style(v) if k == "style" else v or "") for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0] == "data":
            self.tokens[-1] = ("data", self.tokens[-1][1] + data)
        else:
            self.tokens.append(("data", data))

    def handle_comment(self, data):
        self.tokens.append(("comment", data))

    def handle_decl(self, decl):
        self.tokens.append(("decl", decl))

    def handle_pi(self, data):
        self.tokens.append(("pi", data))


def _style(value: str | None) -> str:
    """Normalise a style attribute as nh3 writes it (`text-align: left;` → `text-align:left`)."""
    return ";".join(re.sub(r"\s+", "", part) for part in (value or "").split(";") if part.strip())


def _show(token: tuple) -> str:
    """Write a token back as HTML, for a message."""
    kind = token[0]
    if kind == "start":
        attrs = "".join(f' {k}="{v}"' for k, v in token[2])
        return f"<{token[1]}{attrs}>"
    if kind == "end":
        return f"</{token[1]}>"
    if kind == "comment":
        return f"<!--{token[1]}-->"
    if kind in ("decl", "pi"):
        return f"<{'!' if kind == 'decl' else '?'}{token[1]}>"
    return token[1]


def _changes(raw: str, clean: str, source: str) -> list[tuple[int | None, str]]:
    """Describe where the cleaned HTML differs from the rendered HTML: the first change of each differing run."""
    before, after = _Tokens(raw).tokens, _Tokens(clean).tokens
    if before == after:
        return []
    problems = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        lost = next((t for t in before[i1:i2] if t[0] in ("start", "comment", "decl", "pi")),
                    before[i1] if i1 < i2 else None)
        was = re.sub(r"\s+", " ", "".join(_show(t) for t in before[i1:i2])).strip()[:80]
        now = re.sub(r"\s+", " ", "".join(_show(t) for t in after[j1:j2])).strip()[:80]
        problems.append((_line_of(lost, source), f"cleaning would change {was!r} to {now!r}" + _why(lost)))
    return problems


def _why(token: tuple | None) -> str:
    """Say why the sanitiser drops a token."""
    if token is None:
        return ""
    if token[0] == "start":
        if token[1] not in TAGS:
            return f": the element <{token[1]}> is not allowed in prose (write it in Markdown)"
        for name, value in token[2]:
            if name not in ATTRIBUTES.get(token[1], ()):
                return f": the attribute {name!r} is not allowed on <{token[1]}>"
            if name in URL_ATTRIBUTES and url_problem(value, image=token[1] == "img"):
                return ": " + url_problem(value, image=token[1] == "img")
    if token[0] in ("comment", "decl", "pi"):
        return ": comments and declarations are not allowed in prose"
    return ": raw HTML is not allowed in Markdown; for a literal '<' write &lt;"


def _line_of(token: tuple | None, source: str) -> int | None:
    """Return the 1-based line of the Markdown source that most likely wrote `token`."""
    if token is None:
        return None
    needles = []
    if token[0] == "start":
        needles += [value for name, value in token[2] if name in URL_ATTRIBUTES and value]
        needles.append(f"<{token[1]}")
    elif token[0] == "end":
        needles.append(f"</{token[1]}")
    elif token[0] == "comment":
        needles.append("<!--")
    else:
        needles.append(token[1].strip()[:40])
    lowered = html.unescape(source).lower()  # the tokens have entities decoded (&#106; is j)
    for needle in needles:
        index = lowered.find(needle.lower()) if needle else -1
        if index >= 0:
            return source.count("\n", 0, index) + 1
    return None
