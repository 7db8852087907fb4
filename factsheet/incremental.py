"""Rebuilding in place under `serve`: after a change, redo only what it touched, and write only files that changed.

A `Rebuilder` keeps, between builds, each content file as parsed and as validated (parsed and read again only when
its modification time or size changes), the article texts, the catalogs, and every page's context with a digest of the page it made. A build
checks the records across files and links everything again (20 ms for the real site: cheaper than tracking which
records depend on which), builds every page's context, and renders only the pages whose context differs from the last
build's — all pages after a template or catalog changed. The files shared by the languages (data, search indexes,
charts, sitemap) are made again and written only where their bytes differ. The first build is a whole build into a
staging folder swapped into place, as `build.py` does; later ones replace single files atomically in the folder
the first one made, and its manifest. Correctness first: `tests/test_incremental.py` applies a seeded sequence of
edits and compares each rebuilt folder with a whole build of the same content, byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .languages import LANGUAGES
from .link import link
from .load import Loaded, content_paths, load_path, edition_date, load_sources
from .model import ContentError, ContentErrors, Date
from .pages import build_page, plan_pages
from .pipeline import PROJECT
from . import speed
from .render import Renderer
from .templating import make_env, missing_translations, template_error
from .validate import validate
from .write import check_output, replace_file, staged_site, write_manifest

Stamp = tuple[int, int]
"""A file's modification time (ns) and size: what tells that it changed."""


def _stamp(path: Path) -> Stamp | None:
    """Return a file's stamp, or None when it cannot be read."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _stamps(folder: Path) -> dict[str, Stamp | None]:
    """Return the stamp of every file under `folder`."""
    return {str(p): _stamp(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Report:
    """What one rebuild did."""

    files: int
    """Files of the site."""
    rendered: int
    """Pages rendered (the others kept: their contexts had not changed)."""
    written: int
    """Files written (the others' bytes had not changed)."""
    warnings: list[ContentError] = field(default_factory=list)


class Rebuilder:
    """The state kept between the builds of one `serve` session."""

    def __init__(self, content_dir: Path, templates_dir: Path, locale_dir: Path, sources_dir: Path | None,
                 base_url: str | None, out_dir: Path, strict: bool = False):
        self.content_dir, self.templates_dir, self.locale_dir = content_dir, templates_dir, locale_dir
        self.sources_dir, self.base_url, self.out_dir, self.strict = sources_dir, base_url, out_dir, strict
        self.loaded: dict[str, tuple[Stamp | None, Loaded]] = {}
        self.reads = speed.ByIdentity()
        """What validation read from each file it was given (`validate`'s `reads`): a file not parsed again is not
        read again."""
        self.link_memo: dict = {}
        """What link keeps between builds (`link`'s `memo`)."""
        self.sources: tuple[dict, dict] | None = None
        self.shared_stamps: dict[str, Stamp | None] = {}
        self.renderer: Renderer | None = None
        self.contexts: dict[str, object] = {}
        self.digests: dict[str, str] = {}
        """Path → sha256 of the file as the last build wrote it."""
        self.first = True

    def _load(self) -> Iterator[Loaded]:
        """Return every content file, parsed again only when it changed."""
        if not self.content_dir.is_dir():
            raise ContentErrors([ContentError(str(self.content_dir), None, "", "content folder not found",
                                              "pass the folder with --content DIR")])
        seen = {}
        for path in content_paths(self.content_dir):
            stamp = _stamp(path)
            cached = self.loaded.get(str(path))
            seen[str(path)] = cached if cached and cached[0] == stamp and stamp else (stamp, load_path(path,
                                                                                                         self.content_dir))
        self.loaded = seen
        return (item for _, item in seen.values())

    def _texts(self) -> dict | None:
        """Return the article texts, read again only when one changed."""
        if self.sources_dir is None:
            return None
        stamps = _stamps(self.sources_dir)
        if self.sources is None or self.sources[0] != stamps:
            self.sources = (stamps, load_sources(self.sources_dir))
        return self.sources[1]

    def build(self, viewed: frozenset[str] = frozenset(), show: Callable[[dict[str, bytes]], None] | None = None
              ) -> Report:
        """Rebuild; raise `ContentErrors` (nothing written) when the content, a template or a catalog is wrong.

        The pages in `viewed` (paths in the site: those open in a browser) are rendered first, and if any changed,
        passed to `show` before the rest is made: the checks have all passed by then, so they are what the
        build will write (unless a template fails on another page, which fails the build)."""
        with speed.collector_paused():  # as a whole build does: the heap kept between builds is large
            linked = link(validate(self._load(), self.reads), self._texts(), self.link_memo)
            planned = plan_pages(linked)
        warnings = list(linked.warnings)
        if not linked.verified:
            warnings.append(ContentError(str(self.content_dir), None, "", "quotations not verified against the "
                                         "articles", "pass --sources ../shared/sources"))
        stamps = _stamps(self.templates_dir) | _stamps(self.locale_dir)
        fresh = self.renderer is None or stamps != self.shared_stamps
        edition = edition_date(self.content_dir)
        renderer = Renderer(linked, planned, self.templates_dir, self.locale_dir, self.base_url, False,
                            Date(edition.year, edition.month, edition.day, "day") if edition else None)
        if not fresh:  # the catalogs (and what they noted missing) and the charts carry over
            renderer.catalogs = self.renderer.catalogs  # type: ignore[union-attr]
            renderer.compiled = self.renderer.compiled  # type: ignore[union-attr]
            renderer.charts = self.renderer.charts  # type: ignore[union-attr]
        if fresh:
            self.contexts = {}
        try:
            with speed.collector_frozen():
                files, contexts, rendered = self._render(renderer, planned, warnings, viewed, show)
        except jinja2.TemplateError as exc:
            raise ContentErrors([template_error(exc, self.templates_dir)]) from None
        if self.strict and warnings:
            raise ContentErrors(warnings)
        written = self._write(files)
        self.contexts, self.renderer, self.shared_stamps = contexts, renderer, stamps
        return Report(len(files), rendered, written, warnings)

    def _render(self, renderer: Renderer, planned, warnings: list[ContentError], viewed: frozenset[str],
                show: Callable[[dict[str, bytes]], None] | None):
        """Render the pages whose context changed and every other file; return (path → bytes or None for a page
        kept as it is, the contexts, how many pages were rendered). The pages in `viewed` come first, to `show`."""
        files: dict[str, bytes | None] = {}
        contexts: dict[str, object] = {}
        envs = {language.code: make_env(self.templates_dir, renderer.catalog(language.code), renderer.compiled)
                for language in LANGUAGES}
        views = {language.code: renderer.view(language) for language in LANGUAGES}
        pages = [(language, page, renderer.urls.in_language(language.code, page.path))
                 for language in LANGUAGES for page in planned if page.kind.per != "root"]
        for first in (True, False):
            for language, page, path in pages:
                if (path in viewed) != first:
                    continue
                context = build_page((views[language.code],), page)
                contexts[path] = context
                if self.contexts.get(path) == context and path in self.digests:
                    files[path] = None
                else:
                    files[path] = b"".join(renderer.page_bytes(envs[language.code], language, page.kind.template,
                                                               context))
            early = {path: data for path, data in files.items() if data is not None}
            if first and early and show is not None:
                show(early)
        rendered = sum(data is not None for data in files.values())
        for language in LANGUAGES:
            for path, body in renderer.language_files(language, views[language.code]):
                files[path] = b"".join(body)
            translations, po_path = renderer.catalogs[language.code]
            warnings.extend(missing_translations(translations, po_path, language.code))
        for path, body in renderer.shared_files():
            files[path] = b"".join(body)
        return files, contexts, rendered

    def _write(self, files: dict[str, bytes | None]) -> int:
        """Write what changed: the first time a whole new folder swapped into place, then file by file."""
        if self.first:
            with staged_site(self.out_dir, {"project folder": PROJECT, "content folder": self.content_dir,
                                            "templates folder": self.templates_dir, "locale folder": self.locale_dir},
                             holds_output=frozenset({"project folder"})) as put:
                for path, data in files.items():
                    put(path, (data or b"",))
            self.digests = {path: hashlib.sha256(data or b"").hexdigest() for path, data in files.items()}
            self.first = False
            return len(files)
        check_output(self.out_dir, {})
        written = 0
        for path, data in files.items():
            if data is None:
                continue
            digest = hashlib.sha256(data).hexdigest()
            if self.digests.get(path) != digest:
                replace_file(self.out_dir / path, data)
                self.digests[path] = digest
                written += 1
        for path in set(self.digests) - set(files):
            (self.out_dir / path).unlink(missing_ok=True)
            del self.digests[path]
            written += 1
        write_manifest(self.out_dir, self.digests)
        return written
