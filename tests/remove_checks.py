#!/usr/bin/env python3
"""Remove each guarding check, one at a time, in a copy of the project; the fast tests must fail every time.

`make checks-matter` runs it (about 5 minutes) and prints a table; a GREEN row is a check no test notices.
Mutation testing (`make mutation`) finds more, but takes hours; these are the checks a regression must not lose.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent
FAST = ["tests/test_validate.py", "tests/test_safety.py", "tests/test_link.py", "-k", "not killed and not traceback"]
# (check, file, the line that makes it, what it becomes without it, the tests that must then fail)
CASES = [
 ("sha256 check", "factsheet/link.py", "        if digest != source.sha256:", "        if False:", FAST),
 ("duplicate-key check", "factsheet/load.py", "            if key in lines:\n                raise", "            if False:\n                raise", FAST),
 ("unit-vs-indicator check", "factsheet/link.py", "        if ind and ind.unit != fact.unit:", "        if False:", FAST),
 ("plan target-kind check", "factsheet/link.py", '        if target and target.kind != "target":', "        if False:", FAST),
 ("plan outcome-kind check", "factsheet/link.py", '        if outcome and outcome.kind == "target":', "        if False:", FAST),
 ("plan status check", "factsheet/link.py", '        if (plan.outcome is None) != (plan.status == "no_report"):', "        if False:", FAST),
 ("reserved-name (page collision) check", "factsheet/pages.py", "            if key in claimed:", "            if False:", FAST),
 ("JSON-LD escaping", "factsheet/templating.py", 'return Markup(text.replace("<", "\\\\u003c").replace(">", "\\\\u003e").replace("&", "\\\\u0026"))', "return Markup(text)", FAST + []),
 ("127.0.0.1 binding", "factsheet/serve.py", 'HOST = "127.0.0.1"', 'HOST = ""', ["tests/test_serve.py"]),
 ("HTML sanitiser", "factsheet/markup.py", "    clean = CLEANER.clean(raw)", "    clean = raw", FAST),
 ("spreadsheet formula neutralising", "factsheet/data.py", "    if isinstance(value, str) and value.startswith(FORMULA_STARTS):",
  "    if False:", FAST),
 ("refusing a folder the generator did not write", "factsheet/write.py", "    if written is None:", "    if False:", FAST),
 ("refusing files added to a site", "factsheet/write.py", "    if extra:", "    if False:", FAST),
 ("whitespace-only text", "factsheet/fields.py", "        if not isinstance(value, str) or not value.strip():", "        if not isinstance(value, str) or not value:", FAST),
]


def main() -> int:
    """Run every case and print the table; return 1 if the tests stayed green without some check."""
    COPY = Path(tempfile.mkdtemp(prefix="checks-matter-")) / "project"
    shutil.copytree(SRC, COPY, ignore=shutil.ignore_patterns(".venv", "site", "node_modules", ".git", "__pycache__",
                                                             "test-output", "bench"))

    rows = []
    for name, rel, old, new, tests in CASES:
        path = COPY / rel
        text = path.read_text("utf-8")
        assert text.count(old) == 1, (name, text.count(old))
        path.write_text(text.replace(old, new), "utf-8")
        t = time.monotonic()
        r = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                           cwd=COPY, capture_output=True, text=True)
        failed = [line for line in r.stdout.splitlines() if line.startswith("FAILED ")]
        first = failed[0].removeprefix("FAILED ").split(" - ")[0] if failed else "-"
        rows.append((name, rel, r.returncode, first, round(time.monotonic() - t)))
        print(rows[-1], flush=True)
        path.write_text(text, "utf-8")
    shutil.rmtree(COPY.parent)
    print("| check removed | file | suite | first failing test |\n|---|---|---|---|")
    for name, rel, rc, test, secs in rows:
        print(f"| {name} | {rel} | {'red' if rc else 'GREEN'} | {test} |")
    return 1 if any(rc == 0 for _, _, rc, _, _ in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
