"""Each kind of bad input gets its exact message, exit status 1, and leaves the previous site alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import build
from conftest import FIXTURES, WITHOUT_SITE, previous_site, tree

BAD = sorted(p.name for p in (FIXTURES / "bad").iterdir() if p.is_dir())


def make_content(tmp_path: Path, case: str | None) -> Path:
    """Copy the minimal fixture into tmp and lay a bad case's files over it."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "minimal", root, ignore=WITHOUT_SITE)
    if case:
        shutil.copytree(FIXTURES / "bad" / case / "content", root / "content", dirs_exist_ok=True)
    return root


def test_every_bad_case_is_listed():
    """Every kind of bad input the generator guards against has a fixture."""
    assert set(BAD) >= {"malformed-yaml", "missing-en", "unknown-key", "wrong-type", "bad-date", "duplicate-id",
                        "unknown-reference", "empty-file", "not-utf8", "raw-html"}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_exact_errors_and_old_site_kept(case, tmp_path, capsys):
    root = make_content(tmp_path, None)
    out = tmp_path / "site"
    args = ["--content", str(root / "content"), "--sources", str(root / "sources"), "--out", str(out)]
    assert build.main(args) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()

    bad = make_content(tmp_path / "bad", case)
    status = build.main(["--content", str(bad / "content"), "--sources", str(bad / "sources"), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    expected = (FIXTURES / "bad" / case / "expected.txt").read_text("utf-8").splitlines()
    assert [line for line in err.splitlines() if line.startswith("error:")] == expected
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before, "a failed build must leave the previous site untouched"


def test_check_writes_nothing(tmp_path, capsys):
    root = make_content(tmp_path, None)
    out = tmp_path / "never"
    assert build.main(["check", "--content", str(root / "content"), "--sources", str(root / "sources"),
                       "--out", str(out)]) == 0
    assert not out.exists()
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("Checked, 3 facts, 1 milestones, 0 warnings")


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        build.main(["--base-url", "example.com"])
    assert exc.value.code == 2
    assert "--base-url must be an absolute" in capsys.readouterr().err


def test_strict_fails_on_warnings(tmp_path, capsys):
    """Without --sources quotations are unverified: a warning, which --strict turns into failure."""
    root = make_content(tmp_path, None)
    out = tmp_path / "site"
    assert build.main(["--content", str(root / "content"), "--out", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "quotations not verified against the articles (hint: pass --sources ../shared/sources)" in err
    assert not out.exists()


def test_glossary_mismatch_warns(tmp_path, capsys):
    root = make_content(tmp_path, None)
    (root / "content" / "glossary.yaml").write_text("terms:\n  - zh: 重点项目\n    en: major projects\n", "utf-8")
    assert build.main(["check", "--content", str(root / "content"), "--sources", str(root / "sources")]) == 0
    err = capsys.readouterr().err
    assert ("warning: content/facts/a.yaml:23: a-key-projects.subject: glossary term 重点项目 is not rendered as "
            "'major projects'") in err


def test_missing_translation_warns(tmp_path, capsys):
    """A UI string a page shows without a translation is a warning, so --strict fails the build (and writes nothing)."""
    root = make_content(tmp_path, None)
    locale = tmp_path / "locale"
    shutil.copytree(build.ROOT / "locale", locale)
    po = locale / "zh" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text("utf-8").replace('msgid "Overview"\nmsgstr "概览"', 'msgid "Overview"\nmsgstr ""'), "utf-8")
    from factsheet.model import ContentErrors
    from factsheet.pipeline import build as run_build

    out = tmp_path / "site"
    before = previous_site(out)
    with pytest.raises(ContentErrors) as exc:
        run_build(root / "content", build.ROOT / "templates", locale, root / "sources", None, out, strict=True)
    assert any("UI string 'Overview' has no zh translation" in str(e) for e in exc.value.errors)
    # Pages are written into a staging folder as they are rendered; the failure removes it and keeps the old site.
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixture", "locale", "site"]


def test_a_file_given_again_is_not_read_again(monkeypatch):
    """`serve` keeps what each file gave (`validate`'s `reads`): the same parsed file is not read twice, a file parsed
    again is, and the result is the same Site either way, errors included."""
    from factsheet import validate as stage
    from factsheet.load import RawFile, load_content
    from factsheet.speed import ByIdentity

    content = FIXTURES / "minimal" / "content"
    loaded = list(load_content(content))
    reads = ByIdentity()
    first = stage.validate(loaded, reads)
    calls = []
    real = stage._read_file
    monkeypatch.setattr(stage, "_read_file", lambda file: calls.append(file.src_path) or real(file))
    again = stage.validate(loaded, reads)
    assert calls == [] and again == first
    fresh = list(load_content(content))  # as serve parses a changed file again: new objects
    assert stage.validate(fresh, reads) == first
    assert len(calls) == len([f for f in fresh if isinstance(f, RawFile) and not f.is_site]) > 0
    assert stage.validate(fresh) == first
