"""The five stages in order: load → validate → link → render → write. Disk only at the ends."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import speed
from .languages import SOURCE_LANGUAGE
from .link import link
from .load import edition_date, load_content, load_sources
from .model import LANGS, ContentError, ContentErrors, Date, Linked
from .pages import plan_pages
from .render import Renderer, render_site
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


def build(content_dir: Path, templates_dir: Path, locale_dir: Path, sources_dir: Path | None,
          base_url: str | None, out_dir: Path | None, strict: bool = False, pdf: bool = False) -> BuildResult:
    """Run the five stages; write to `out_dir` unless it is None (check only: the files are kept in memory).

    Pages are written into a staging folder as they are rendered; the folder replaces `out_dir` only once every
    page is written and no error (or, with `strict`, no warning) was found, so a failed build leaves `out_dir` as it was.
    """
    with speed.collector_paused():
        site = validate(load_content(content_dir))  # files are parsed one at a time, each tree let go once read
        linked = link(site, load_sources(sources_dir) if sources_dir else None)
        planned = plan_pages(linked)
    warnings = list(linked.warnings)
    if not linked.verified:
        warnings.append(ContentError(str(content_dir), None, "", "quotations not verified against the articles",
                                     "pass --sources ../shared/sources"))
    edition = edition_date(content_dir)
    renderer = Renderer(linked, planned, templates_dir, locale_dir, base_url, pdf,
                        Date(edition.year, edition.month, edition.day, "day") if edition else None)
    kept: dict[str, bytes] | None = {} if out_dir is None or pdf else None
    protected = {"project folder": PROJECT, "content folder": content_dir, "templates folder": templates_dir,
                 "locale folder": locale_dir} | ({"sources folder": sources_dir} if sources_dir else {})
    with _written_or_kept(out_dir, protected, kept) as put, speed.collector_frozen():
        first, *others = LANGS

        def write(files) -> list[str]:
            return [put(path, body) for path, body in files]

        files, found = speed.render_languages(
            lambda: write(render_site(renderer, (first,), warnings)),
            lambda found: write(item for lang in others for item in renderer.language_pages(lang, found)),
            fork=kept is None and speed.second_process_pays(len(linked.site.facts)))
        warnings.extend(found)
        if strict and warnings:
            raise ContentErrors(warnings)
        if pdf:
            from .pdf import render_pdfs

            assert kept is not None
            urls, view = renderer.urls, renderer.view(SOURCE_LANGUAGE)
            pdfs = render_pdfs(kept, {urls.in_language(lang, urls.page("print")): view.pdf_name(lang) for lang in LANGS})
            files += write((path, (data,)) for path, data in pdfs.items())
    return BuildResult(linked, tuple(files), tuple(warnings), kept if out_dir is None else None)


@contextmanager
def _written_or_kept(out_dir: Path | None, protected: dict[str, Path],
                     kept: dict[str, bytes] | None) -> Iterator[Callable[[str, Iterable[bytes]], str]]:
    """Yield `put(path, blocks) -> path`: stage 5's writer for `out_dir` (nothing is written without one), which
    also keeps each file in `kept` when that is a dict (a check-only build, or one making PDFs)."""
    from .write import staged_site

    def keep(path: str, blocks: Iterable[bytes]) -> Iterable[bytes]:
        if kept is None:
            return blocks
        kept[path] = b"".join(blocks)
        return (kept[path],)

    if out_dir is None:
        def put_nothing(path: str, blocks: Iterable[bytes]) -> str:
            keep(path, blocks)
            return path

        yield put_nothing
        return
    with staged_site(out_dir, protected, holds_output=frozenset({"project folder"})) as put:
        def put_and_keep(path: str, blocks: Iterable[bytes]) -> str:
            put(path, keep(path, blocks))
            return path

        yield put_and_keep
