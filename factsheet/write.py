"""Stage 5: write the rendered site into a staging folder as it is rendered, then swap it into place."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_site(out_dir: Path) -> Iterator[Callable[[str, Iterable[bytes]], None]]:
    """Yield `put(path, blocks)`, which writes one file of the site, block by block, into a new folder beside `out_dir`.

    When the block ends normally the new folder replaces `out_dir`; when it raises, the new folder is removed
    and `out_dir` is left as it was. Writing each page as soon as it is rendered keeps one page in memory at a time.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    folders = {staging}

    def put(rel: str, blocks: Iterable[bytes]) -> None:
        path = staging / rel
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        with path.open("wb") as file:
            file.writelines(blocks)
        path.chmod(0o644)

    try:
        yield put
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


def write_site(files: Iterable[tuple[str, Iterable[bytes]]], out_dir: Path) -> None:
    """Write (path, blocks) pairs to `out_dir` atomically: a failure leaves the previous site untouched."""
    with staged_site(out_dir) as put:
        for rel, blocks in files:
            put(rel, blocks)
