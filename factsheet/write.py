"""Stage 5: write the rendered site into a temporary folder, then swap it into place."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def write_site(pages: dict[str, bytes], out_dir: Path) -> None:
    """Write `pages` to `out_dir` atomically: a failure leaves the previous site untouched."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    try:
        for rel, data in sorted(pages.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            path.chmod(0o644)
        staging.chmod(0o755)
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}-old-{staging.name.rsplit('-', 1)[-1]}")
            out_dir.rename(old)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
