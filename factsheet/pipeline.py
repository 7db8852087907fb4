"""The five stages in order: load → validate → link → render → write. Disk only at the ends."""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .link import link
from .load import load_content, load_sources
from .model import LANGS, ContentError, ContentErrors, Linked
from .validate import validate

PROJECT = Path(__file__).resolve().parent.parent
"""The project folder (the one holding this package), which no output folder may be or contain."""


@dataclass(frozen=True)
class BuildResult:
    """What a build did, for the summary line and the report."""

    linked: Linked
    files: tuple[str, ...]
    """Path of every file of the site, in the order rendered."""
    warnings: tuple[ContentError, ...]
    pages: dict[str, bytes] | None = None
    """The site's files in memory ({path: bytes}) after a check-only build (no `out_dir`); None after a build that
    wrote them, which holds one page in memory at a time."""

    @property
    def report(self) -> list[str]:
        """Return count lines per source, kind and theme."""
        facts = self.linked.site.facts
        lines = []
        for title, counter in (("source", Counter(f.citation.source for f in facts)),
                               ("kind", Counter(f.kind for f in facts)),
                               ("theme", Counter(f.theme for f in facts))):
            lines.append(f"Facts by {title}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))
        ms = self.linked.site.milestones
        lines.append(f"Milestones: {len(ms)} ({sum(m.done for m in ms)} done, {sum(not m.done for m in ms)} planned) "
                     f"in {len(self.linked.projects)} projects; plans: {len(self.linked.plans)}; "
                     f"quotations {'verified' if self.linked.verified else 'NOT verified (no --sources)'}")
        return lines

    def summary(self, seconds: float, out_dir: Path | None) -> str:
        """Return the one summary line."""
        html = [p for p in self.files if p.endswith(".html")]
        zh = sum(p.startswith("zh/") for p in html)
        en = sum(p.startswith("en/") for p in html)
        head = (f"Built {len(html)} pages (zh {zh}, en {en})" if out_dir else "Checked")
        where = f" → {out_dir}" if out_dir else ""
        return (f"{head}, {len(self.linked.site.facts)} facts, {len(self.linked.site.milestones)} milestones, "
                f"{len(self.warnings)} warnings in {seconds:.2f} s{where}")


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: a build makes millions of objects that live until it ends, and the
    collector would scan them again and again for almost nothing to free (a quarter of the CPU time at 500
    sources, and what made time grow faster than the content)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _frozen_for_the_collector() -> Iterator[None]:
    """Keep every object made so far (the linked content: hundreds of thousands at 500 sources, alive until the
    build ends) out of the cycle collector's scans, which then look only at what rendering makes and frees;
    rendering's own reference cycles (the JSON encoder makes one per call) are still collected."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def build(content_dir: Path, templates_dir: Path, locale_dir: Path, sources_dir: Path | None,
          base_url: str | None, out_dir: Path | None, strict: bool = False, pdf: bool = False) -> BuildResult:
    """Run the pipeline; write to `out_dir` unless it is None (check only: the files are kept in memory).

    Pages are written into a staging folder as they are rendered; the folder replaces `out_dir` only once every
    page is written and no error (or, with `strict`, no warning) was found, so a failed build leaves `out_dir` as it was.
    When writing on a machine with two cores or more, the English pages are rendered and written by a second
    process while this one renders the Chinese pages and the shared files.
    """
    from .render import render_language, render_site

    with _cycle_collector_paused():
        site = validate(load_content(content_dir))  # files are parsed one at a time, each tree let go once read
        linked = link(site, load_sources(sources_dir) if sources_dir else None)
    warnings = list(linked.warnings)
    if not linked.verified:
        warnings.append(ContentError(str(content_dir), None, "", "quotations not verified against the articles",
                                     "pass --sources ../shared/sources"))
    files: list[str] = []
    kept: dict[str, bytes] | None = {} if out_dir is None or pdf else None
    protected = {"project folder": PROJECT, "content folder": content_dir, "templates folder": templates_dir,
                 "locale folder": locale_dir} | ({"sources folder": sources_dir} if sources_dir else {})
    with _staged_or_kept(out_dir, protected) as put, _frozen_for_the_collector():
        second_langs = LANGS[1:] if kept is None and _can_fork() else ()

        def render_second() -> tuple[list[str], list[ContentError]]:
            names: list[str] = []
            found: list[ContentError] = []
            for lang in second_langs:
                for path, body in render_language(linked, templates_dir, locale_dir, lang, base_url, pdf,
                                                  warnings=found):
                    put(path, body)
                    names.append(path)
            return names, found

        second = _in_child_process(render_second) if second_langs else None
        try:
            for path, body in render_site(linked, templates_dir, locale_dir, base_url, pdf, warnings,
                                          langs=tuple(lang for lang in LANGS if lang not in second_langs)):
                files.append(path)
                if kept is not None:
                    kept[path] = b"".join(body)
                    body = (kept[path],)
                put(path, body)
        except BaseException:
            if second:
                second.stop()
            raise
        if second:
            names, found = second.result()
            files.extend(names)
            warnings.extend(found)
        if strict and warnings:
            raise ContentErrors(warnings)
        if pdf:
            from .pdf import render_pdfs

            for path, data in render_pdfs(kept).items():
                files.append(path)
                put(path, (data,))
                kept[path] = data
    return BuildResult(linked, tuple(files), tuple(warnings), kept if out_dir is None else None)


def _can_fork() -> bool:
    """Whether a second rendering process can help and is safe: two cores or more to run on, `os.fork`
    (POSIX), and no other thread that could hold a lock at the moment of the fork (as in `serve`)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores > 1 and hasattr(os, "fork") and threading.active_count() == 1


@dataclass
class _Child:
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
        outcome, value = pickle.loads(data)
        if outcome == "errors":
            raise ContentErrors(value)
        if outcome == "crash":
            raise RuntimeError(f"the second rendering process failed:\n{value}")
        return value

    def stop(self) -> None:
        """End the process early (this process failed) and wait for it."""
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.pipe)


def _in_child_process(work: Callable[[], object]) -> _Child:
    """Start `work` in a forked copy of this process, which shares the linked content without copying it."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return _Child(pid, read_end)
    status = 0
    try:  # the child: never return into the caller's code, whatever happens
        os.close(read_end)
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


@contextmanager
def _staged_or_kept(out_dir: Path | None, protected: dict[str, Path]) -> Iterator[Callable[[str, Iterable[bytes]], None]]:
    """Yield stage 5's `put` for `out_dir`, or one that writes nothing for a check-only build."""
    if out_dir is None:
        yield lambda path, blocks: None
    else:
        from .write import staged_site

        with staged_site(out_dir, protected, holds_output=frozenset({"project folder"})) as put:
            yield put
