"""The benchmark's own code still runs against the generator: synthetic content it accepts, and the stage timer.

bench/ is not part of the build, so nothing else notices when a refactor moves a function it imports (it did:
`parse_date` and `write_site` moved, and `make bench` failed at its first step).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

from conftest import ROOT


def _run_module():
    """Import bench/run.py (a script, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
