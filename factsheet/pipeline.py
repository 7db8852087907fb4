"""The five stages in order: load → validate → link → render → write. Disk only at the ends."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
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
    pages: dict[str, bytes]
    warnings: tuple[ContentError, ...]

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
        html = [p for p in self.pages if p.endswith(".html")]
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
    """Run the pipeline; write to `out_dir` unless it is None (check only)."""
    from .render import render_site
    from .write import write_site

    with _cycle_collector_paused():
        site = validate(load_content(content_dir))  # the raw YAML trees are freed here, not kept to the end
        linked = link(site, read_sources(sources_dir) if sources_dir else None)
        pages, render_warnings = render_site(linked, templates_dir, locale_dir, base_url, pdf)
    warnings = list(linked.warnings)
    if not linked.verified:
        warnings.append(ContentError(str(content_dir), None, "", "quotations not verified against the articles",
                                     "pass --sources ../shared/sources"))
    warnings.extend(render_warnings)
    if strict and warnings:
        raise ContentErrors(warnings)
    if pdf:
        from .pdf import render_pdfs

        pages = pages | render_pdfs(pages)
    if out_dir is not None:
        write_site(pages, out_dir)
    return BuildResult(linked, pages, tuple(warnings))
