"""The five stages in order: load → validate → link → render → write. Disk only at the ends."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .link import link
from .load import load_content
from .model import ContentError, ContentErrors, Linked
from .validate import validate


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


def read_sources(sources_dir: Path) -> dict[str, bytes]:
    """Read every article text in the sources folder."""
    return {path.name: path.read_bytes() for path in sorted(sources_dir.glob("*.txt"))}


def build(content_dir: Path, templates_dir: Path, locale_dir: Path, sources_dir: Path | None,
          base_url: str | None, out_dir: Path | None, strict: bool = False, pdf: bool = False) -> BuildResult:
    """Run the pipeline; write to `out_dir` unless it is None (check only: the files are kept in memory).

    Pages are written into a staging folder as they are rendered; the folder replaces `out_dir` only once every
    page is written and no error (or, with `strict`, no warning) was found, so a failed build leaves `out_dir` as it was.
    """
    from .render import render_site

    with _cycle_collector_paused():
        site = validate(load_content(content_dir))  # the raw YAML trees are freed here, not kept to the end
        linked = link(site, read_sources(sources_dir) if sources_dir else None)
    warnings = list(linked.warnings)
    if not linked.verified:
        warnings.append(ContentError(str(content_dir), None, "", "quotations not verified against the articles",
                                     "pass --sources ../shared/sources"))
    files: list[str] = []
    kept: dict[str, bytes] | None = {} if out_dir is None or pdf else None
    with _staged_or_kept(out_dir) as put, _cycle_collector_paused():
        for path, data in render_site(linked, templates_dir, locale_dir, base_url, pdf, warnings):
            files.append(path)
            put(path, data)
            if kept is not None:
                kept[path] = data
        if strict and warnings:
            raise ContentErrors(warnings)
        if pdf:
            from .pdf import render_pdfs

            for path, data in render_pdfs(kept).items():
                files.append(path)
                put(path, data)
                kept[path] = data
    return BuildResult(linked, tuple(files), tuple(warnings), kept if out_dir is None else None)


@contextmanager
def _staged_or_kept(out_dir: Path | None) -> Iterator[Callable[[str, bytes], None]]:
    """Yield stage 5's `put` for `out_dir`, or one that writes nothing for a check-only build."""
    if out_dir is None:
        yield lambda path, data: None
    else:
        from .write import staged_site

        with staged_site(out_dir) as put:
            yield put
