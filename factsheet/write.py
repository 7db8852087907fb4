"""Stage 5: write the rendered site into a staging folder as it is rendered, then swap it into place.

The writer owns its output folder and nothing else. It writes only into a folder it made (marked by `MANIFEST`, the
list of every file it wrote) or an empty or absent one, and refuses any other (`OutputRefused`). The new tree is
built beside the old one and exchanged with it in one atomic step (`_swap`), so that at every moment the output path
holds a complete site; what a killed build leaves beside it (its staging folder, or the old tree after a swap) is
removed by the next build, which recognises it by the manifest.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .model import ContentError, ContentErrors

MANIFEST = ".factsheet-manifest.json"
"""The mark of a folder this generator wrote, at its root: which generator, and every file it wrote."""
GENERATOR = "laoshan-factsheet"
STAGING = ".{name}.staging-"
"""Prefix of the folder a build is staged in, beside the output folder (`.site.staging-k2j4…`)."""

Put = Callable[[str, Iterable[bytes]], None]
"""Writes one file of the site (path relative to the site root) from its blocks of bytes."""


class OutputRefused(Exception):
    """The output folder is not the generator's to write: a usage error, named in one line with what to do."""


def check_output(out_dir: Path, protected: dict[str, Path], holds_output: frozenset[str] = frozenset()) -> None:
    """Refuse `out_dir` unless it is absent, empty, or a site this generator wrote and nobody added to.

    `protected` names folders the output may not be or contain (the project, its content, templates…), nor lie
    inside, except those named in `holds_output` (the project folder holds `site/`).
    """
    out = out_dir.resolve()
    for name, folder in protected.items():
        folder = folder.resolve()
        if out == folder or out in folder.parents:
            what = "is" if out == folder else "contains"
            raise OutputRefused(f"--out {out_dir}: this folder {what} the {name} ({folder}); "
                                "choose a folder of its own for the site, e.g. --out site")
        if folder in out.parents and name not in holds_output:
            raise OutputRefused(f"--out {out_dir}: this folder is inside the {name} ({folder}); "
                                "choose a folder outside it, e.g. --out site")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"--out {out_dir}: this is a file, not a folder; choose a folder for the site")
    if not out.is_dir():
        return
    try:
        present = {p.relative_to(out).as_posix() for p in out.rglob("*") if not p.is_dir()}
    except OSError as exc:
        raise OutputRefused(f"--out {out_dir}: cannot read this folder ({exc.strerror}); choose another") from None
    if not present:
        return
    written = read_manifest(out)
    if written is None:
        raise OutputRefused(f"--out {out_dir}: this folder holds files this generator did not write "
                            f"({_some(present)}); empty it, or choose a new folder")
    extra = present - written - {MANIFEST}
    if extra:
        raise OutputRefused(f"--out {out_dir}: files were added to this site since it was built ({_some(extra)}); "
                            "move them elsewhere (the build would delete them), or choose a new folder")


def read_manifest(folder: Path) -> set[str] | None:
    """Return the files a folder's manifest lists, or None when the folder has no manifest of this generator."""
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR or not isinstance(data.get("files"), list):
        return None
    return {str(name) for name in data["files"]}


def _some(names: set[str]) -> str:
    """Name up to three of `names` for a message."""
    shown = sorted(names)[:3]
    return ", ".join(shown) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


@contextmanager
def staged_site(out_dir: Path, protected: dict[str, Path] | None = None,
                holds_output: frozenset[str] = frozenset()) -> Iterator[Put]:
    """Yield `put(path, blocks)`, which writes one file of the site, block by block, into a new folder beside `out_dir`.

    When the block ends normally the new folder replaces `out_dir` in one atomic step; when it raises, the new folder
    is removed and `out_dir` is left as it was. Writing each page as soon as it is rendered keeps one page in memory
    at a time. An operating-system error while writing is raised as a `ContentErrors` naming the path.
    """
    check_output(out_dir, protected or {}, holds_output)
    out = Path(os.path.abspath(out_dir))
    parent = out.parent
    _io(out, "create the folder that holds it", lambda: parent.mkdir(parents=True, exist_ok=True))
    with _locked(parent):
        remove_litter(parent, out.name)
        staging = Path(_io(parent, "create a staging folder in it",
                           lambda: tempfile.mkdtemp(prefix=STAGING.format(name=out.name), dir=parent)))
        folders = {staging}

        def put(rel: str, blocks: Iterable[bytes]) -> None:
            path = staging / rel
            where = out / rel
            if path.parent not in folders:
                # below the staging folder only: a second renderer still writing after this build was interrupted
                # and removed its staging folder must not make it again (without the manifest, it would be kept)
                _io(where.parent, "create the folder", lambda: _makedirs_below(staging, path.parent))
                folders.add(path.parent)
            file = _io(where, "create the file", lambda: path.open("wb"))
            with file:
                for block in blocks:
                    _io(where, "write the file", lambda: file.write(block))

        try:
            write_manifest(staging, ())  # marked as the generator's from the start, for the next build's clean-up
            yield put
            # What is on disk, not what `put` saw: another process may have written into the same staging folder.
            write_manifest(staging, (p.relative_to(staging).as_posix() for p in staging.rglob("*") if not p.is_dir()))
            _io(out, "make the site readable", lambda: staging.chmod(0o755))  # mkdtemp makes it private
            _io(out, "put the new site in place", lambda: _swap(staging, out))
        except BaseException:
            _remove(staging)
            raise
        _remove(staging)  # the previous site, now in the staging folder's place


def _makedirs_below(staging: Path, folder: Path) -> None:
    """Make `folder` and its parents up to `staging`, which must still exist."""
    if not staging.is_dir():
        raise FileNotFoundError(errno.ENOENT, "the staging folder is gone (the build was stopped)", str(staging))
    folder.mkdir(parents=True, exist_ok=True)


def replace_file(path: Path, data: bytes) -> None:
    """Write one file atomically (a file of the site under `serve`, a cache entry): readers see the old bytes or
    the new ones, never half; nothing is left behind if the write fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".new-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_manifest(staging: Path, files: Iterable[str]) -> None:
    """Write the manifest: this generator's mark and the sorted list of the files it wrote."""
    data = json.dumps({"generator": GENERATOR, "files": sorted(set(files) - {MANIFEST})}, ensure_ascii=False, indent=0)
    _io(staging / MANIFEST, "write the manifest", lambda: (staging / MANIFEST).write_text(data + "\n", "utf-8"))


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` at `out` in one atomic step; the previous site (if any) ends up at `staging`.

    Linux has `renameat2(RENAME_EXCHANGE)` and macOS `renamex_np(RENAME_SWAP)`, which exchange two paths atomically;
    they keep `out` a plain folder (a symlink swapped into place would also be atomic, but GitHub's Pages upload,
    `file://` readers and tools copying `site/` would then meet a link). Where neither exists the previous site is
    renamed away and the new one renamed in: a kill between the two leaves the previous site beside `out`, marked,
    and the next build removes it.
    """
    if not os.path.lexists(out):
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        return
    old = Path(tempfile.mkdtemp(prefix=STAGING.format(name=out.name), dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    os.rename(staging, out)
    os.rename(old, staging)


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically with the C library; return False where the system offers no way to."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform == "darwin":
            result = libc.renamex_np(os.fsencode(a), os.fsencode(b), ctypes.c_uint(0x2))  # RENAME_SWAP
        else:
            at_fdcwd, rename_exchange = -100, 2
            result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), ctypes.c_uint(rename_exchange))
    except (AttributeError, OSError):
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the kernel or the file system cannot exchange: fall back to two renames
    raise OSError(code, os.strerror(code), str(b))


def remove_litter(parent: Path, name: str) -> list[Path]:
    """Remove what killed builds of `name` left in `parent`: staging folders marked as this generator's (or still
    empty). Return what was removed. Anything else is left alone, whatever its name."""
    removed = []
    prefix = STAGING.format(name=name)
    try:
        candidates = [p for p in parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return removed
    for path in candidates:
        if path.is_symlink() or not path.is_dir():
            continue
        if read_manifest(path) is not None or not any(path.iterdir()):
            _remove(path)
            removed.append(path)
    return removed


def _remove(path: Path) -> None:
    """Remove a folder this build made (a link is unlinked, never followed)."""
    if path.is_symlink():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` while a build writes beside it, so that one build's clean-up never removes
    another's staging folder (a lock of the folder itself: nothing is left behind, and a killed build releases it)."""
    try:
        import fcntl
    except ImportError:  # Windows: no concurrent builds are guarded
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


HINTS = {
    errno.EACCES: "check the folder's permissions, or choose another --out",
    errno.EPERM: "check the folder's permissions, or choose another --out",
    errno.EROFS: "the disk is read-only; choose another --out",
    errno.ENOSPC: "the disk is full; free some space and build again",
    errno.EDQUOT: "the disk quota is used up; free some space and build again",
}


def _io(path: Path, action: str, do: Callable[[], object]):
    """Run one file-system operation; turn an operating-system error into a located `ContentErrors`."""
    try:
        return do()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ContentErrors([ContentError(str(path), None, "", f"cannot {action}: {reason}",
                                          HINTS.get(exc.errno or 0, "check the path and build again"))]) from None
