"""The minimal fixture builds to exactly the expected site (tests/fixtures/minimal/site, reviewed when changed)."""

from __future__ import annotations

import difflib

from conftest import FIXTURES, LOCALE, TEMPLATES, tree
from factsheet.pipeline import build
from update_golden import BASE_URL, EPOCH, EXPECTED


def test_minimal_fixture_builds_to_the_expected_site(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "site"
    build(FIXTURES / "minimal" / "content", TEMPLATES, LOCALE, FIXTURES / "minimal" / "sources", BASE_URL, out)
    expected, built = tree(EXPECTED), tree(out)
    assert sorted(built) == sorted(expected), "the site has other files than expected"
    for path in sorted(expected):
        if built[path] != expected[path]:
            diff = difflib.unified_diff(expected[path].decode("utf-8", "replace").splitlines(),
                                        built[path].decode("utf-8", "replace").splitlines(),
                                        f"expected/{path}", f"built/{path}", lineterm="", n=2)
            raise AssertionError("\n".join(list(diff)[:60]) + "\n(if intended: python tests/update_golden.py, "
                                 "then review the diff)")
