"""Broken and hostile inputs, each with what the user must see: the table `test_safety.py` runs.

Each case edits a copy of `fixtures/minimal` (folders `content/` and `sources/` under `root`) and may add
arguments; `out` is a site built from the unedited copy. The expected lines were written by hand from what the
user should be told, then compared with the output.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, the arguments, the exit status and the lines the user must see."""

    name: str
    kind: str
    """The class of input, for the report: output folder, markup, text, number, date, file, semantic, …"""
    edit: Callable[[Path, Path], list[str]]
    """Change the copy under `root` (given `root` and the built `out`); return extra command-line arguments."""
    status: int
    errors: tuple[str, ...]
    """The `error:` lines, exactly (for exit 2, the one line)."""
    warnings: tuple[str, ...] = field(default=())


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace one occurrence of `old` in a file, which must hold it."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def facts(root: Path) -> Path:
    return root / "content" / "facts" / "a.yaml"


def page(root: Path) -> Path:
    return root / "content" / "pages" / "about.en.md"


def md(body: str) -> Callable[[Path, Path], list[str]]:
    """An edit that writes the English about page with `body` after its title."""
    def edit(root: Path, out: Path) -> list[str]:
        page(root).write_text(f"# About\n\n{body}\n", "utf-8")
        return []
    return edit


def fact_field(old: str, new: str) -> Callable[[Path, Path], list[str]]:
    """An edit that replaces text in the facts file."""
    def edit(root: Path, out: Path) -> list[str]:
        replace_in(facts(root), old, new)
        return []
    return edit


def out_arg(choose: Callable[[Path, Path], Path]) -> Callable[[Path, Path], list[str]]:
    """An edit that leaves the content alone and points --out somewhere else."""
    def edit(root: Path, out: Path) -> list[str]:
        return ["--out", str(choose(root, out))]
    return edit


def user_folder(root: Path, out: Path) -> Path:
    docs = root / "Documents"
    docs.mkdir()
    (docs / "thesis.docx").write_bytes(b"years of work")
    return docs


def added_file(root: Path, out: Path) -> Path:
    (out / "zh" / "notes.txt").write_text("mine", "utf-8")
    return out


def a_file(root: Path, out: Path) -> Path:
    path = root / "site.txt"
    path.write_text("a file", "utf-8")
    return path


def second_source(root: Path, text: str, date: str = "2025-03") -> None:
    """Add article `b` (published `date`) with `text`."""
    data = text.encode("utf-8")
    (root / "sources" / "b.txt").write_bytes(data)
    with (root / "content" / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"""  - id: b
    headline: {{zh: 崂山区：后续报道, en: "Laoshan: a later report"}}
    short: {{zh: 后续报道, en: later report}}
    outlet: {{zh: 示例日报, en: Example Daily}}
    byline: {{zh: 记者 李四, en: Reporter Li Si}}
    date: {date}
    date_basis: {{zh: 据正文推断。, en: Inferred from the text.}}
    file: b.txt
    sha256: {hashlib.sha256(data).hexdigest()}
    summary: {{zh: 一篇后续报道。, en: A later report.}}
    topics:
      - {{zh: 经济, en: Economy}}
""")


def outcome_fact(root: Path, fact: str) -> None:
    (root / "content" / "facts" / "b.yaml").write_text(f"facts:\n{fact}", "utf-8")


B_PROJECTS = """  - id: b-key-projects
    theme: economy
    subject: {zh: 重点项目, en: Key projects}
    value: 320
    unit: count
    period: 2024
    kind: result
    source: b
    quote: 2024年实施重点项目320个
    quote_en: 320 key projects were carried out in 2024
"""


def plan_other_indicator(root: Path, out: Path) -> list[str]:
    second_source(root, "2024年实施重点项目320个，地区生产总值增长8.3%。")
    outcome_fact(root, """  - id: b-gdp
    theme: economy
    subject: {zh: 地区生产总值增长, en: GDP growth}
    value: 8.3
    unit: percent
    period: 2024
    kind: result
    indicator: gdp-growth
    source: b
    quote: 地区生产总值增长8.3%
    quote_en: GDP grew by 8.3%
""")
    replace_in(root / "content" / "plans.yaml", "outcome: null\n    status: no_report", "outcome: b-gdp\n    status: met")
    return []


def plan_not_later(root: Path, out: Path) -> list[str]:
    second_source(root, "2024年实施重点项目320个。", date="2024-01")
    outcome_fact(root, B_PROJECTS.replace("period: 2024", "period: 2023"))
    replace_in(root / "content" / "plans.yaml", "outcome: null\n    status: no_report",
               "outcome: b-key-projects\n    status: met")
    return []


def plan_result_as_target(root: Path, out: Path) -> list[str]:
    replace_in(root / "content" / "plans.yaml", "target: a-key-projects", "target: a-revenue")
    return []


def plan_target_as_outcome(root: Path, out: Path) -> list[str]:
    second_source(root, "2024年实施重点项目320个。")
    outcome_fact(root, B_PROJECTS.replace("kind: result", "kind: target"))
    replace_in(root / "content" / "plans.yaml", "outcome: null\n    status: no_report",
               "outcome: b-key-projects\n    status: met")
    return []


def plan_status_mismatch(root: Path, out: Path) -> list[str]:
    replace_in(root / "content" / "plans.yaml", "status: no_report", "status: met")
    return []


def dangling_link(root: Path, out: Path) -> list[str]:
    (root / "content" / "facts" / "gone.yaml").symlink_to(root / "nowhere.yaml")
    return []


def dangling_link_strict(root: Path, out: Path) -> list[str]:
    dangling_link(root, out)
    return ["--strict"]


def fifo(root: Path, out: Path) -> list[str]:
    os.mkfifo(root / "content" / "facts" / "pipe.yaml")
    return ["--strict"]


def link_outside(root: Path, out: Path) -> list[str]:
    secret = root / "secret.yaml"
    secret.write_text("facts: []\n", "utf-8")
    (root / "content" / "facts" / "secret.yaml").symlink_to(secret)
    return []


def folder_link(root: Path, out: Path) -> list[str]:
    (root / "content" / "more").symlink_to(root / "content" / "facts", target_is_directory=True)
    return ["--strict"]


def article_not_utf8(root: Path, out: Path) -> list[str]:
    path = root / "sources" / "a.txt"
    path.write_bytes(path.read_bytes() + b"\xff\xfe")
    return []


def article_fifo(root: Path, out: Path) -> list[str]:
    (root / "sources" / "a.txt").unlink()
    os.mkfifo(root / "sources" / "a.txt")
    return []


def article_changed(root: Path, out: Path) -> list[str]:
    replace_in(root / "sources" / "a.txt", "崂山区：示例报道", "崂山区：示例报道（修订）")
    return []


def control_byte(root: Path, out: Path) -> list[str]:
    path = facts(root)
    path.write_bytes(path.read_bytes().replace("GDP growth}".encode(), b"GDP\x07growth}", 1))
    return []


def three_stages(root: Path, out: Path) -> list[str]:
    """A field error, a reference error and a quotation error, in three files."""
    replace_in(root / "content" / "projects.yaml", "theme: economy", "theme: ecnomy")
    replace_in(facts(root), "quote: 一般公共预算收入达到220.38亿元", "quote: 一般公共预算收入达220.38亿元")
    replace_in(root / "content" / "indicators.yaml", "unit: percent", "unit: per cent")
    return []


def C(name, kind, edit, status, *errors, warnings=()):
    return Case(name, kind, edit, status, tuple(errors), tuple(warnings))


CASES: tuple[Case, ...] = (
    # The output folder: refused with exit 2, nothing touched.
    C("out is the project", "output folder", out_arg(lambda root, out: ROOT), 2,
      '--out {project}: this folder is the project folder ({project}); choose a folder of its own for the site, e.g. --out site'),
    C("out is the content", "output folder", out_arg(lambda root, out: root / "content"), 2,
      '--out {tmp}/fixture/content: this folder is the content folder ({tmp}/fixture/content); choose a folder of its own for the site, e.g. --out site'),
    C("out holds the content", "output folder", out_arg(lambda root, out: root), 2,
      '--out {tmp}/fixture: this folder contains the content folder ({tmp}/fixture/content); choose a folder of its own for the site, e.g. --out site'),
    C("out is inside the content", "output folder", out_arg(lambda root, out: root / "content" / "site"), 2,
      '--out {tmp}/fixture/content/site: this folder is inside the content folder ({tmp}/fixture/content); choose a folder outside it, e.g. --out site'),
    C("out is the templates", "output folder", out_arg(lambda root, out: ROOT / "templates"), 2,
      '--out {project}/templates: this folder is the templates folder ({project}/templates); choose a folder of its own for the site, e.g. --out site'),
    C("out is a user's documents", "output folder", out_arg(user_folder), 2,
      '--out {tmp}/fixture/Documents: this folder holds files this generator did not write (thesis.docx); empty it, or choose a new folder'),
    C("out has a file added", "output folder", out_arg(added_file), 2,
      '--out {tmp}/site: files were added to this site since it was built (zh/notes.txt); move them elsewhere (the build would delete them), or choose a new folder'),
    C("out is a file", "output folder", out_arg(a_file), 2,
      '--out {tmp}/fixture/site.txt: this is a file, not a folder; choose a folder for the site'),
    # Markdown and addresses: what the sanitiser would change is an error.
    C("script element", "markup", md("Hi <script>alert(1)</script>."), 1,
      "content/pages/about.en.md:3: body: cleaning would change 'Hi <script>alert(1)</script>.' to 'Hi .': the element <script> is not allowed in prose (write it in Markdown) (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)"),
    C("raw HTML between ``` lines", "markup", md("```\n\n<script>alert(1)</script>\n\n```"), 1,
      "content/pages/about.en.md:5: body: cleaning would change '<script>alert(1)</script>' to '': the element <script> is not allowed in prose (write it in Markdown) (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)"),
    C("escaped backticks around a tag", "markup", md("\\`<img src=x onerror=alert(1)>\\`"), 1,
      'content/pages/about.en.md:3: body: cleaning would change \'<img onerror="alert(1)" src="x">\' to \'<img src="x">\': the attribute \'onerror\' is not allowed on <img> (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)'),
    C("javascript: link", "markup", md("[x](javascript:alert(1))"), 1,
      'content/pages/about.en.md:3: body: cleaning would change \'<a href="javascript:alert(1)">\' to \'<a>\': the scheme \'javascript:\' is not allowed (only http:, https:, mailto: and relative links) (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)'),
    C("reference-style javascript: link", "markup", md("[x][1]\n\n[1]: javascript:alert(1)"), 1,
      'content/pages/about.en.md:5: body: cleaning would change \'<a href="javascript:alert(1)">\' to \'<a>\': the scheme \'javascript:\' is not allowed (only http:, https:, mailto: and relative links) (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)'),
    C("entity-encoded javascript: link", "markup", md("[x](&#106;avascript:alert(1))"), 1,
      'content/pages/about.en.md:3: body: cleaning would change \'<a href="javascript:alert(1)">\' to \'<a>\': the scheme \'javascript:\' is not allowed (only http:, https:, mailto: and relative links) (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)'),
    C("external image", "markup", md("![logo](https://example.org/logo.png)"), 1,
      'content/pages/about.en.md:3: body: cleaning would change \'<img alt="logo" src="https://example.org/logo.png">\' to \'<img alt="logo">\': an image must come from the site itself (a relative path), not https://example.org/logo.png (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)'),
    C("data: image", "markup", md("![x](data:image/png;base64,AAAA)"), 1,
      'content/pages/about.en.md:3: body: cleaning would change \'<img alt="x" src="data:image/png;base64,AAAA">\' to \'<img alt="x">\': an image must come from the site itself (a relative path), not data:image/png;base64,AAAA (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)'),
    C("protocol-relative link", "markup", md("[x](//evil.example/)"), 1,
      'content/pages/about.en.md:3: body: cleaning would change \'<a href="//evil.example/">\' to \'<a>\': //evil.example/ leaves out the scheme and so loads from another site; write https://… (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)'),
    C("root-relative link", "markup", md("[x](/about.html)"), 1,
      'content/pages/about.en.md:3: body: cleaning would change \'<a href="/about.html">\' to \'<a>\': /about.html starts at the server\'s root, which breaks the site from file:// and under a sub-path; write a relative link (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)'),
    C("iframe", "markup", md('<iframe src="https://example.org/"></iframe>'), 1,
      'content/pages/about.en.md:3: body: cleaning would change \'<iframe src="https://example.org/"></iframe>\' to \'\': the element <iframe> is not allowed in prose (write it in Markdown) (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)'),
    C("event attribute", "markup", md('<a href="b.html" onclick="alert(1)">x</a>'), 1,
      'content/pages/about.en.md:3: body: cleaning would change \'<a href="b.html" onclick="alert(1)">\' to \'<a href="b.html">\': the attribute \'onclick\' is not allowed on <a> (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)'),
    C("HTML comment", "markup", md("text <!-- hidden -->"), 1,
      "content/pages/about.en.md:3: body: cleaning would change '<!-- hidden -->' to '': comments and declarations are not allowed in prose (hint: write the text in Markdown: links to relative paths, https: or mailto:, images from the site itself, no raw HTML)"),
    C("control character in prose", "markup", md("bell \x07 here"), 1,
      'content/pages/about.en.md:3: body: holds the control character U+0007 at character 6 (hint: delete the character (retype the text if it was pasted); write line breaks only in Markdown pages)'),
    C("javascript: licence address", "markup",
      lambda root, out: replace_in(root / "content" / "site.yaml", "license_url: https://creativecommons.org/licenses/by/4.0/",
                                   "license_url: javascript:alert(1)") or [], 1,
      "content/site.yaml:6: site.license_url: the scheme 'javascript:' is not allowed (only http:, https:, mailto: and relative links) (hint: write the full address, e.g. https://creativecommons.org/licenses/by/4.0/)"),
    # Text: invisible and control characters, empty text.
    C("NUL in a subject", "text", fact_field("en: GDP growth}", 'en: "GDP\\0growth"}'), 1,
      'content/facts/a.yaml:4: facts[0].subject.en: holds the control character U+0000 at character 4 (hint: delete the character (retype the text if it was pasted); write line breaks only in Markdown pages)'),
    C("ESC in a subject", "text", fact_field("en: GDP growth}", 'en: "GDP\\egrowth"}'), 1,
      'content/facts/a.yaml:4: facts[0].subject.en: holds the control character U+001B at character 4 (hint: delete the character (retype the text if it was pasted); write line breaks only in Markdown pages)'),
    C("bidi override in a translation", "text",
      fact_field("quote_en: In 2023 the district's GDP grew by 7%", 'quote_en: "In 2023 GDP grew by \\u202e%7"'), 1,
      'content/facts/a.yaml:12: facts[0].quote_en: holds the invisible bidi control U+202E at character 21 (hint: delete the character (retype the text if it was pasted); write line breaks only in Markdown pages)'),
    C("bidi isolate in a name", "text", fact_field("en: GDP growth}", 'en: "GDP \\u2066growth"}'), 1,
      'content/facts/a.yaml:4: facts[0].subject.en: holds the invisible bidi control U+2066 at character 5 (hint: delete the character (retype the text if it was pasted); write line breaks only in Markdown pages)'),
    C("white space only", "text", fact_field("en: GDP growth}", 'en: "   "}'), 1,
      "content/facts/a.yaml:4: facts[0].subject.en: expected text, got '   ' (hint: add the English text: en: …)"),
    C("white space only, plain text", "text", fact_field("quote_en: In 2023 the district's GDP grew by 7%", 'quote_en: "  \\t "'), 1,
      "content/facts/a.yaml:12: facts[0].quote_en: expected text, got '  \\t ' (hint: write the text after the colon)"),
    C("raw control byte in YAML", "text", control_byte, 1,
      'content/facts/a.yaml:5: invalid YAML: the character U+0007 is not allowed (hint: delete the character (retype the text if it was pasted))'),
    # Numbers and dates.
    C("NaN value", "number", fact_field("value: 7\n", "value: .nan\n"), 1,
      'content/facts/a.yaml:5: facts[0].value: expected a finite number, got nan (hint: write the figure as digits; .nan and .inf are not figures)'),
    C("infinite value", "number", fact_field("value: 7\n", "value: .inf\n"), 1,
      'content/facts/a.yaml:5: facts[0].value: expected a finite number, got inf (hint: write the figure as digits; .nan and .inf are not figures)'),
    C("infinite end of a range", "number", fact_field("value: 7\n", "value: [7, -.inf]\n"), 1,
      'content/facts/a.yaml:5: facts[0].value: expected a finite number, got [7, -inf] (hint: write the figure as digits; .nan and .inf are not figures)'),
    C("range of three numbers", "number", fact_field("value: 7\n", "value: [1, 2, 3]\n"), 1,
      'content/facts/a.yaml:5: facts[0].value: a range has two numbers, got 3 (hint: write [low, high])'),
    C("29 February 2100", "date", fact_field("date: 2024-03", "date: 2100-02-29"), 1,
      "content/facts/a.yaml:39: milestones[0].date: '2100-02-29': 2100-02 has no day 29 (hint: write 2024, 2024-H1, 2024-Q3, 2024-03, 2024-03-15 or 2023-09-end)"),
    C("year 0", "date", fact_field("period: 2023\n    kind: result\n    indicator", "period: 0000-03\n    kind: result\n    indicator"), 1,
      "content/facts/a.yaml:7: facts[0].period: '0000-03': there is no year 0 (hint: write a date (2024, 2024-H1, 2024-03) or a span start/end (2021/2025))"),
    C("30 February", "date", fact_field("period: 2023\n    kind: result\n    indicator", "period: 2023-02-30\n    kind: result\n    indicator"), 1,
      "content/facts/a.yaml:7: facts[0].period: '2023-02-30': 2023-02 has no day 30 (hint: write a date (2024, 2024-H1, 2024-03) or a span start/end (2021/2025))"),
    # Files of the content and sources folders.
    C("dangling link", "file", dangling_link, 0, warnings=('content/facts/gone.yaml: a link to nothing (dangling link), skipped (hint: delete the link or restore what it points to)',)),
    C("dangling link, strict", "file", dangling_link_strict, 1,
      'content/facts/gone.yaml: a link to nothing (dangling link), skipped (hint: delete the link or restore what it points to)'),
    C("FIFO named .yaml", "file", fifo, 1,
      'content/facts/pipe.yaml: not a regular file (a FIFO, socket or device), skipped (hint: content holds only .yaml and .md files; move it out)'),
    C("link leading out of the content", "file", link_outside, 1,
      'content/facts/secret.yaml: a link leading outside the content folder (to {tmp}/fixture/secret.yaml) (hint: copy the file into the content folder instead of linking to it)'),
    C("link to a folder", "file", folder_link, 1,
      'content/more: a link to a folder, not followed (hint: move the folder into place instead of linking to it)'),
    C("article not UTF-8", "file", article_not_utf8, 1,
      'content/sources.yaml:2: a.sha256: a.txt has sha256 21bbd3c51bca07f96ee7f1271591472e90b336689fe24bd0e6ea7d128f50dee9, not d419ac39ea0c5cce9809919f973d42b346736a018d3144a4631ca850340bbf93 (hint: the article text changed: re-check every quotation, then update sha256)',
      'a.txt:7: the article is not valid UTF-8 (byte 0xff) (hint: save the article text as UTF-8)'),
    C("article is a FIFO", "file", article_fifo, 1,
      '{tmp}/fixture/sources/a.txt: cannot read the article: not a regular file (hint: the sources folder holds the articles as plain .txt files)'),
    C("article changed (sha256)", "file", article_changed, 1,
      'content/sources.yaml:2: a.sha256: a.txt has sha256 2cc71f0a7325f5cb6591232d0e8a38065b728896c653b8864c39c9bf0621a40a, not d419ac39ea0c5cce9809919f973d42b346736a018d3144a4631ca850340bbf93 (hint: the article text changed: re-check every quotation, then update sha256)'),
    C("duplicate key", "file", fact_field("    unit: percent\n", "    unit: percent\n    unit: count\n"), 1,
      "content/facts/a.yaml:7: invalid YAML: duplicate key 'unit' (first on line 6) (hint: check indentation, colons and quotes; quote text containing ': ' or '#')"),
    # Checks of meaning.
    C("result after its article", "semantic", fact_field("period: 2023\n    kind: result\n    indicator", "period: 2025\n    kind: result\n    indicator"), 1,
      'content/facts/a.yaml:2: a-gdp-growth.period: a result for 2025 cannot be reported by an article of 2024-03: the period had not ended (hint: a figure for part of the period so far is as_of (e.g. period 2024-early); a goal is a target)'),
    C("total as of after its article", "semantic", fact_field("period: 2023\n    kind: result\n    indicator", "period: 2026\n    kind: as_of\n    indicator"), 1,
      'content/facts/a.yaml:2: a-gdp-growth.period: a total as of 2026 lies after its article (2024-03) (hint: an as_of figure stands at a date the article has reached; a goal is a target)'),
    C("plan outcome of another indicator", "semantic", plan_other_indicator, 1,
      "content/plans.yaml:2: key-projects-2024.outcome: target and outcome measure different things (indicator '(none)' vs 'gdp-growth'; unit 'count' vs 'percent'), yet the status is 'met' (hint: pair facts of the same indicator, scope and unit, or say status: not_comparable)"),
    C("plan outcome not later", "semantic", plan_not_later, 1,
      "content/plans.yaml:2: key-projects-2024.outcome: the outcome comes from b, which is not later than the target's article a (hint: an outcome is reported by a later article than the one that set the target)"),
    C("plan target is a result", "semantic", plan_result_as_target, 1,
      "content/plans.yaml:2: key-projects-2024.target: fact 'a-revenue' is a result, not a target (hint: pair a target (kind: target) with its later result)"),
    C("plan outcome is a target", "semantic", plan_target_as_outcome, 1,
      "content/plans.yaml:2: key-projects-2024.outcome: fact 'b-key-projects' is a target, not a result (hint: the outcome must be a result or an as-of total)"),
    C("plan status without outcome", "semantic", plan_status_mismatch, 1,
      "content/plans.yaml:2: key-projects-2024.status: status 'met' needs an outcome, but outcome is null (hint: use no_report exactly when outcome is null)"),
    C("unit differs from the indicator's", "semantic", fact_field("value: 7\n    unit: percent", "value: 7\n    unit: count"), 1,
      "content/facts/a.yaml:2: a-gdp-growth.unit: unit 'count' differs from indicator 'gdp-growth' ('percent') (hint: a series has one unit; convert the value or use another indicator)"),
    C("theme id takes a page's name", "semantic",
      lambda root, out: replace_in(root / "content" / "themes.yaml", "themes:\n", "themes:\n  - id: plans\n    "
                                   "title: {zh: 计划, en: Plans}\n    intro: {zh: 计划。, en: Plans.}\n") or [], 1,
      "content/themes.yaml:2: plans.id: theme 'plans' would be written to plans.html, which the plans page already claims (hint: give it another id (a prose page: another file name))"),
    C("id written into a note", "semantic", fact_field("    indicator: gdp-growth\n", "    indicator: gdp-growth\n    note: {zh: 见a-revenue。, en: See a-revenue.}\n"), 1,
      "content/facts/a.yaml:2: a-gdp-growth.note.zh: 'a-revenue' is an id, which readers would see as it is (hint: write [[a-revenue]] to link it by name, or name the article in words)",
      "content/facts/a.yaml:2: a-gdp-growth.note.en: 'a-revenue' is an id, which readers would see as it is (hint: write [[a-revenue]] to link it by name, or name the article in words)"),
    C("reference to nothing", "semantic", fact_field("    indicator: gdp-growth\n", '    indicator: gdp-growth\n    note: {zh: "见[[a-revenu]]。", en: "See [[a-revenu]]."}\n'), 1,
      "content/facts/a.yaml:2: a-gdp-growth.note.zh: [[a-revenu]] refers to nothing (hint: did you mean 'a-revenue'?)",
      "content/facts/a.yaml:2: a-gdp-growth.note.en: [[a-revenu]] refers to nothing (hint: did you mean 'a-revenue'?)"),
    C("ranking in words not in the quotation", "semantic", fact_field("    value: 7\n    unit: percent\n    period: 2023\n    kind: result\n    indicator: gdp-growth\n",
      "    unit: rank\n    rank: {zh: 保持领先, en: stay ahead}\n    period: 2023\n    kind: result\n"), 1,
      "content/facts/a.yaml:2: a-gdp-growth.rank: '保持领先' does not occur in the quotation '2023年，全区实现地区生产总值增长7%' (hint: a ranking stated in words quotes those words)"),
    C("same_as naming a milestone of the same article", "semantic", fact_field("    done: false\n", "    done: false\n    same_as: a-vr-delivery\n"), 1,
      "content/facts/a.yaml:35: a-vr-delivery.same_as: 'a-vr-delivery' is not the same step reported by another article (hint: same_as links milestones of one project from two different articles)"),
    # One run reports every stage's errors.
    C("field, reference and quotation errors in three files", "all at once", three_stages, 1,
      "content/indicators.yaml:5: indicators[0].unit: 'per cent' is not one of: percent, percentage_point, yuan, 10k_yuan, 100m_yuan, 100m_usd, count, 10k_count, person, 10k_person, person_time, 10k_person_time, sq_km, sq_m, 10k_sq_m, mu, 10k_mu, km, m, times, tonne, 10k_tonne, year, month, day, hour, rank, top (hint: did you mean 'percent'?)",
      "content/projects.yaml:2: vr-creation-center.theme: unknown theme 'ecnomy' (hint: did you mean 'economy'?)",
      "content/facts/a.yaml:13: a-revenue.quote: not found verbatim in a.txt: '一般公共预算收入达220.38亿元' (hint: copy the clause exactly from the article (only white space may differ))"),
)
