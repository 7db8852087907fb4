"""Rebuilding in place (serve) writes exactly what a whole build writes, after every edit of a seeded sequence."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, LOCALE, TEMPLATES, tree
from factsheet.incremental import Rebuilder
from factsheet.model import ContentErrors
from factsheet.pipeline import build


def facts_files(content: Path) -> list[Path]:
    return sorted((content / "facts").glob("*.yaml"))


def edit_value(content: Path, rng: random.Random) -> str:
    """Change a number in a note-free way: a fact's note gains a word (the value must stay in its quotation)."""
    path = rng.choice(facts_files(content))
    text = path.read_text("utf-8")
    notes = list(re.finditer(r"(    note: \{zh: \")([^\"]*)(\", en: \")", text))
    if not notes:
        return "nothing"
    m = rng.choice(notes)
    path.write_text(text[:m.end(1)] + "（核对）" + text[m.end(1):], "utf-8")
    return f"note in {path.name}"


def edit_translation(content: Path, rng: random.Random) -> str:
    path = rng.choice(facts_files(content))
    text = path.read_text("utf-8")
    quotes = list(re.finditer(r"(\n    quote_en: )(.*)\n", text))
    m = rng.choice(quotes)
    value = m[2]
    new = value[:-1] + ' (checked)"' if value.endswith('"') else value + " (checked)"
    path.write_text(text[:m.start(2)] + new + text[m.end(2):], "utf-8")
    return f"translation in {path.name}"


NEW_FACT = """
  - id: zz-new-fact-{n}
    theme: economy
    subject: {{zh: 新增测试数字{n}, en: Test figure {n}}}
    value: 7
    unit: percent
    period: 2023
    kind: result
    source: 2024-03
    quote: 实现地区生产总值增长7%
    quote_en: GDP grew by 7%
"""


def add_fact(content: Path, rng: random.Random) -> str:
    n = rng.randrange(10_000)
    extra = content / "facts" / "zz-extra.yaml"
    text = extra.read_text("utf-8") if extra.exists() else "facts:\n"
    extra.write_text(text + NEW_FACT.format(n=n), "utf-8")
    return f"new fact {n}"


def delete_fact(content: Path, rng: random.Random) -> str:
    extra = content / "facts" / "zz-extra.yaml"
    if not extra.exists():
        return add_fact(content, rng)
    extra.unlink()
    return "deleted the added facts"


def rename_indicator(content: Path, rng: random.Random) -> str:
    path = content / "indicators.yaml"
    text = path.read_text("utf-8")
    names = list(re.finditer(r"name: \{zh: ([^,]*), en: ", text))
    m = rng.choice(names)
    path.write_text(text[:m.end(1)] + "（改）" + text[m.end(1):], "utf-8")
    return "renamed an indicator"


def edit_template(templates: Path, rng: random.Random) -> str:
    path = templates / "indicator.html"
    text = path.read_text("utf-8")
    path.write_text(text.replace("<h1>", f"<h1 data-edit=\"{rng.randrange(1000)}\">", 1) if "data-edit" not in text
                    else re.sub(r' data-edit="\d+"', "", text, count=1), "utf-8")
    return "template"


def break_content(content: Path, rng: random.Random) -> str:
    (content / "facts" / "zz-broken.yaml").write_text("facts:\n  - id: [\n", "utf-8")
    return "broken"


EDITS = [edit_value, edit_translation, add_fact, delete_fact, rename_indicator, edit_template]
VIEWED = frozenset({"en/economy.html", "zh/economy.html", "en/plans.html", "zh/index.html"})
"""Pages open in a browser, which a rebuild renders first and shows early."""


@pytest.mark.parametrize("seed", [7])
def test_rebuilt_folder_equals_a_whole_build_after_each_edit(tmp_path, seed, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(CONTENT, content)
    shutil.copytree(TEMPLATES, templates)
    out = tmp_path / "site"
    rebuilder = Rebuilder(content, templates, LOCALE, None, None, out)
    first = rebuilder.build()
    assert first.written == first.files
    rng = random.Random(seed)
    steps = list(EDITS)  # every kind of edit once, in a seeded order, then a broken file and its fix
    rng.shuffle(steps)
    steps.append(break_content)
    early: set[str] = set()
    for step in steps:
        target = templates if step is edit_template else content
        what = step(target, rng)
        if what == "broken":
            before = tree(out)
            with pytest.raises(ContentErrors):
                rebuilder.build()
            assert tree(out) == before, "a failed rebuild writes nothing"
            (content / "facts" / "zz-broken.yaml").unlink()
            what = "fixed"
        shown: dict[str, bytes] = {}
        report = rebuilder.build(VIEWED, shown.update)  # as serve does, with pages open in a browser
        whole = tmp_path / f"whole-{len(what)}-{rng.randrange(10**6)}"
        build(content, templates, LOCALE, None, None, whole)
        assert tree(out) == tree(whole), f"after {what}, the rebuilt site differs from a whole build"
        assert set(shown) <= VIEWED and all((out / path).read_bytes() == data for path, data in shown.items()), (
            f"after {what}, a page shown early is not the page written")
        early |= set(shown)
        if what.startswith(("note", "translation")):
            assert report.rendered < report.files / 4, f"{what}: {report.rendered} pages rendered for one edit"
        shutil.rmtree(whole)
    assert early == VIEWED, "every open page was shown early after some edit"


def test_an_unchanged_rebuild_renders_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "site"
    rebuilder = Rebuilder(CONTENT, TEMPLATES, LOCALE, None, None, out)
    rebuilder.build()
    again = rebuilder.build()
    assert (again.rendered, again.written) == (0, 0)
