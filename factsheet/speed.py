"""What makes large builds faster, kept out of the pipeline's reading path; each piece earns its place by measure.

- A second process (`render_languages`): on two cores or more a forked copy of the process renders and writes the
  languages after the first while this one renders the first language and the shared files. Paired runs
  (BENCHMARKS.md): on the real site 0.82× the wall time of one process with the template cache warm and 0.78× with
  it empty; at 500 sources 0.70×. (Until compiled templates were cached on disk each process compiled its own, and
  the real site was 1.16× slower forked; it forked only from 2,000 facts then.) It sends back only file names and
  warnings, and is never used where another thread runs (`serve`: a fork copies only the calling thread, and another
  may hold a lock).
- Compiled templates on disk (`template_cache`): compiling the templates was a third of a cold build's CPU; Jinja
  keeps each compiled template in the user's cache folder and checks it against its template's source and its own
  version before use, so a changed template or a new Jinja never runs stale code.
- What a rebuild under `serve` can reuse (`ByIdentity`, `ByMembers`): validation's reading of each parsed file and
  link's checks of each record, kept while the object is the same one (an unchanged file's objects come back as they
  were), and link's passages of each source and row of each indicator, kept while made of the same records. At 500
  sources the first took a save's rebuild from 3.3-3.6 s to 1.2-1.6 s before the edited page shows; the second
  link's share of it from 1.1 s to 0.6 s (profiled), the page shown after 0.57 s instead of 0.90 s in process.
- Record types' methods compiled once (`generated_code_kept`): `dataclasses` writes the source of each record
  type's `__init__`, `__eq__`, `__repr__`, … (547 methods of 91 types) and compiles it at every start; that was a
  third of a build's imports (51–66 ms). The compiled code is kept on disk, keyed by its source text and the Python
  version, and reused: the same text compiled by the same Python is the same code. Paired: 0.92× the wall time.
- Catalogs compiled once (`compiled_once`): each process read its language's `.po` with Babel (whose reader
  parses the header with the `email` package: 8 ms of imports before the fork) and compiled it; the compiled form
  is kept under the `.po`'s digest, and Babel's reader is imported only when a `.po` changed. Paired: 0.93×.
- Ending at once (`exit_now`): once a build has written its files and printed its lines, the process ends without
  Python taking apart, one by one, the millions of objects it made (30–45 ms of a real site's 0.59 s build, paired:
  0.92× the wall time; BENCHMARKS.md). Only the standard streams hold anything unwritten then, and they are flushed.
- The cycle collector (`collector_paused`, `collector_frozen`): paused while the content is read and linked, and the linked content
  frozen out of its scans while pages render; millions of long-lived objects would otherwise be scanned again and
  again for nothing to free (a quarter of the CPU at 500 sources, and what made time grow faster than content).
"""

from __future__ import annotations

import ctypes
import dataclasses
import gc
import marshal
import os
import sys
import types
from importlib.util import MAGIC_NUMBER
from pathlib import Path
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn, TypeVar

import jinja2

if TYPE_CHECKING:  # imported where used: the record types' module must come after `generated_code_kept`
    from .model import ContentError

T = TypeVar("T")

FORK_FACTS = 0
"""Fork a second renderer for content of this many facts or more: any, as it pays at every size measured (see the
module's docstring); kept as the one place to raise it should a machine show otherwise."""


class CompiledInMemory(jinja2.BytecodeCache):
    """Templates compiled once per build and shared by its environments (where no cache folder can be written)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket with code compiled earlier in this build, if any."""
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep newly compiled code for the other environments."""
        self.code[bucket.key] = bucket.bytecode_to_string()


def _cache_folder(name: str) -> Path | None:
    """Return `$XDG_CACHE_HOME/laoshan-factsheet/NAME` (or ~/.cache/…), made if need be, or None when it cannot be
    made or written to."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "laoshan-factsheet" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".writable").touch()
    except OSError:
        return None
    return folder


def template_cache() -> jinja2.BytecodeCache:
    """Return where compiled templates are kept: the cache folder's `templates` (`_cache_folder`), or memory when
    it cannot be made. Entries are keyed by template name and path, and checked by Jinja."""
    folder = _cache_folder("templates")
    return CompiledInMemory() if folder is None else jinja2.FileSystemBytecodeCache(str(folder))


def compiled_once(kind: str, name: str, source: bytes, compile_source: Callable[[bytes], bytes], compiler: str,
                  read: Callable[[bytes], T]) -> T:
    """Return `read(compile_source(source))`, the compiled bytes kept in the cache folder's `kind` as NAME-DIGEST
    (DIGEST: sha256 of `source` and of `compiler`, what compiles it and its version) and read from there while both
    are the same; a kept entry that cannot be read is compiled again and replaced, and NAME's older entries are
    removed when a new one is written. Where no cache folder can be made, compile every time."""
    import hashlib

    folder = _cache_folder(kind)
    digest = hashlib.sha256(compiler.encode() + b"\0" + source).hexdigest()
    path = folder / f"{name}-{digest}" if folder else None
    if path is not None:
        with suppress(Exception):  # none kept yet, or damaged, whatever the damage: compiled again below
            return read(path.read_bytes())
    compiled = compile_source(source)
    if path is not None and _kept(path, compiled):
        for older in path.parent.glob(f"{name}-*"):
            if older != path:
                older.unlink(missing_ok=True)
    return read(compiled)


def _kept(path: Path, data: bytes) -> bool:
    """Write a cache entry atomically (`write.replace_file`); return whether it was written."""
    from .write import replace_file  # not at the top: it imports the record types (see `generated_code_kept`)

    try:
        replace_file(path, data)
    except OSError:
        return False
    return True


class GeneratedCode:
    """The code `dataclasses` generates for record types, compiled once and kept in a file: its `exec` stands in for
    the built-in one in the `dataclasses` module (the one place that module runs code), compiling each source text
    it has not seen and reusing the code of those it has. Nothing else changes: the text is the whole key, and the
    file is named for the Python that compiled it."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.code: dict[str, types.CodeType] = {}
        self.used: set[str] = set()
        self.new = 0
        with suppress(OSError, EOFError, ValueError, TypeError):  # none yet; unreadable or damaged: compiled again
            kept = marshal.loads(path.read_bytes()) if path else {}
            if isinstance(kept, dict):
                self.code = {k: v for k, v in kept.items() if isinstance(k, str) and isinstance(v, types.CodeType)}

    def exec(self, source, globals=None, locals=None) -> None:  # noqa: A002 - the built-in's own parameter names
        """Run `source` as the built-in `exec` would, compiling it only if no code of the same text is kept."""
        if not isinstance(source, str):
            exec(source, globals, locals)  # noqa: S102 - code, not text: nothing to compile
            return
        code = self.code.get(source)
        if code is None:
            code = self.code[source] = compile(source, "<string>", "exec", dont_inherit=True)
            self.new += 1
        self.used.add(source)
        exec(code, globals, locals)  # noqa: S102 - the code `dataclasses` would have compiled from this text

    def save(self) -> None:
        """Write the code back if any was compiled in this process: what this process used, and what the file held
        unless that is more than as much again (what record types no longer have), atomically."""
        if not self.new or self.path is None:
            return
        kept = self.code if len(self.code) <= 2 * len(self.used) else {k: self.code[k] for k in self.used}
        if _kept(self.path, marshal.dumps(kept)):
            self.new = 0


def generated_code_kept() -> GeneratedCode:
    """Have `dataclasses` reuse the code it compiled in earlier runs (`GeneratedCode`), kept in the cache folder's
    `code`; call before the modules that declare record types are imported, and `save` before the process ends."""
    folder = _cache_folder("code")
    tag = f"{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}"
    kept = GeneratedCode(folder / f"dataclasses.{tag}.marshal" if folder else None)
    dataclasses.exec = kept.exec  # type: ignore[attr-defined] # a module global shadows the built-in for it alone
    return kept


class _KeptForNextCall:
    """What a step worked out in its latest call, for its next call to reuse: only the latest call's entries are
    kept (see `done`), so nothing of a file that changed lingers, and each entry holds its objects, so their ids
    stay their own."""

    def __init__(self) -> None:
        self._last: dict = {}
        self._now: dict = {}

    def done(self) -> None:
        """End a call: what it was given is what the next call may reuse."""
        self._last, self._now = self._now, {}


class ByIdentity(_KeptForNextCall):
    """What a step worked out for each object it was given (a parsed file, a record), kept for the step's next call
    while the object is the same one."""

    def get(self, obj, make: Callable):
        """Return what the last call made of `obj` if it was given this very object, else `make(obj)`."""
        kept = self._last.get(id(obj))
        value = kept[1] if kept is not None and kept[0] is obj else make(obj)
        self._now[id(obj)] = (obj, value)
        return value


class ByMembers(_KeptForNextCall):
    """What a step worked out for each group of objects under a key (a source's citing records, an indicator's
    observations), kept for the step's next call while the group holds the very same objects in the same order."""

    def get(self, key, members: tuple, make: Callable):
        """Return what the last call made of `key` if its members were these very objects, else `make(members)`."""
        kept = self._last.get(key)
        if kept is not None and len(kept[0]) == len(members) and all(a is b for a, b in zip(kept[0], members)):
            value = kept[1]
        else:
            value = make(members)
        self._now[key] = (members, value)
        return value


def reuse(memo: dict | None, name: str, key: object, alive: object = None, kind: type = ByIdentity):
    """Return the `ByIdentity` (or `kind`) kept in `memo` under `name`: a new one when there is no memo (nothing is
    reused) or when what the step also depends on changed (`key`; `alive` holds the objects whose ids `key` holds)."""
    if memo is None:
        return kind()
    kept = memo.get(name)
    if kept is None or kept[0] != key:
        kept = memo[name] = (key, alive, kind())
    return kept[2]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the content is read and linked."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def collector_frozen() -> Iterator[None]:
    """Keep every object made so far (the linked content) out of the cycle collector's scans while pages render;
    rendering's own cycles (the JSON encoder makes one per call) are still collected."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def second_process_pays(facts: int) -> bool:
    """Whether a second rendering process is worth forking: content large enough, two cores or more, `os.fork`
    (POSIX), and no other thread that could hold a lock at the moment of the fork."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return facts >= FORK_FACTS and cores > 1 and hasattr(os, "fork") and threading.active_count() == 1


@dataclass
class Child:
    """A forked process running one function; its result comes back pickled through a pipe."""

    pid: int
    pipe: int

    def result(self):
        """Wait for the process; return its function's result, or raise what it raised."""
        with os.fdopen(self.pipe, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if not data:
            raise RuntimeError(f"the second rendering process ended with status {status} and sent no result")
        from .model import ContentErrors

        outcome, value = pickle.loads(data)
        if outcome == "errors":
            raise ContentErrors(value)
        if outcome == "crash":
            raise RuntimeError(f"the second rendering process failed:\n{value}")
        return value

    def stop(self) -> None:
        """End the process early (this process failed) and wait for it, so that it writes nothing more."""
        with suppress(ProcessLookupError, ChildProcessError):  # it ended already (and may have been waited for)
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        with suppress(OSError):  # closed already by `result`
            os.close(self.pipe)


def in_child_process(work: Callable[[], object]) -> Child:
    """Start `work` in a forked copy of this process, which shares the linked content without copying it."""
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return Child(pid, read_end)
    status = 0
    try:  # the child: never return into the caller's code, whatever happens
        from .model import ContentErrors

        os.close(read_end)
        _end_with(parent)
        try:
            outcome = ("ok", work())
        except ContentErrors as exc:
            outcome = ("errors", exc.errors)
        except BaseException:
            outcome = ("crash", traceback.format_exc())
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(outcome, pipe)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _end_with(parent: int) -> None:
    """Have the kernel end this (forked) process when its parent ends (Linux's PR_SET_PDEATHSIG), so that a build
    killed with SIGKILL or SIGTERM leaves no renderer writing into its staging folder while the next build clears it
    away; elsewhere, or if the parent is already gone, the pipe's broken end ends it at its first result."""
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)


def render_languages(first: Callable[[], list[str]], others: Callable[[list[ContentError]], list[str]],
                     fork: bool) -> tuple[list[str], list[ContentError]]:
    """Run `first` here and `others` (given a list to add its warnings to) in a forked process when `fork`, else
    one after the other; return the paths both wrote and the warnings of `others`."""
    if not fork:
        found: list[ContentError] = []
        return first() + others(found), found
    child = in_child_process(lambda: (lambda found: (others(found), found))([]))
    try:
        written = first()
        names, found = child.result()
    except BaseException:  # this process failed or was interrupted (SIGINT) while the child may still be writing
        child.stop()
        raise
    return written + names, found


def exit_now(main: Callable[[], int], kept: GeneratedCode | None = None) -> NoReturn:
    """Run the command line's `main` and end the process with its status at once, the standard streams flushed and
    the code `kept` saved, skipping the interpreter's teardown (every file of the build is closed by then). Output
    whose reader went away (`build.py | head -1`), while printing or while flushing, ends it with status 120, as
    Python's own exit would, and without a traceback."""
    try:
        status = main()
    except BrokenPipeError:
        status = 120
    if kept is not None:
        kept.save()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe; a stream closed by its user
            status = status or 120
    os._exit(status)
