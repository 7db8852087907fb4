#!/usr/bin/env python3
"""Rebuild the expected output of the minimal fixture (tests/fixtures/minimal/site), for `test_golden.py`.

    python tests/update_golden.py        then review `git diff tests/fixtures/minimal/site` before committing it

The expected site is the fixture's "after" (staticjinja's before/after folders): every change to it is a change to
what the generator writes, and is reviewed as such.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factsheet.pipeline import build  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "minimal"
EXPECTED = FIXTURE / "site"
BASE_URL = "https://example.org/factsheet/"
EPOCH = "1700000000"
"""SOURCE_DATE_EPOCH of the golden build (14 November 2023), so that its edition date does not follow git."""
"""The golden site is built with an address, so that canonical links, hreflang and the sitemap are covered too."""


def main() -> None:
    """Build the fixture and replace the expected site with it."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    if EXPECTED.exists():
        shutil.rmtree(EXPECTED)
    build(FIXTURE / "content", ROOT / "templates", ROOT / "locale", FIXTURE / "sources", BASE_URL, EXPECTED)
    print(f"wrote {EXPECTED}; review it with: git diff --stat {EXPECTED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
