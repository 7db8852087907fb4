"""End-to-end: build into tmp, crawl every link and anchor as a file:// browser would, compare two builds."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

import build
from conftest import FIXTURES, previous_site, tree
from factsheet.write import MANIFEST


class PageScan(HTMLParser):
    """Collect ids, links, resource references and lang attributes of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.resources: list[str] = []
        self.html_lang: str | None = None
        self.switch: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if a.get("id") == "lang-switch":
                self.switch = a["href"]
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical", "alternate"):
            self.resources.append(a["href"])
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.resources.append(a["src"])


def scan(path: Path) -> PageScan:
    """Parse one page."""
    parser = PageScan()
    parser.feed(path.read_text("utf-8"))
    return parser


def crawl(site: Path) -> list[str]:
    """Return every broken link, missing anchor, external load or root-relative link in the site."""
    problems = []
    pages = {p: scan(p) for p in site.rglob("*.html")}
    ids = {p.resolve(): set(s.ids) for p, s in pages.items()}
    for page, found in pages.items():
        rel = page.relative_to(site)
        if page.name == "404.html":
            continue
        if len(found.ids) != len(set(found.ids)):
            problems.append(f"{rel}: duplicate ids")
        for href in found.resources:
            if urlparse(href).scheme or href.startswith("//"):
                problems.append(f"{rel}: external resource {href}")
        for href in found.links + found.resources:
            url = urlparse(href)
            if url.scheme in ("http", "https", "mailto"):
                continue
            if href.startswith("/"):
                problems.append(f"{rel}: root-relative link {href}")
                continue
            target = urlparse(urljoin(page.resolve().as_uri(), href))
            path = Path(unquote(target.path))
            if href.split("#")[0].endswith("/") or (path.is_dir()):
                problems.append(f"{rel}: link to a directory {href}")
            elif not path.exists():
                problems.append(f"{rel}: broken link {href}")
            elif target.fragment and path.suffix == ".html" and target.fragment not in ids.get(path.resolve(), set()):
                problems.append(f"{rel}: missing anchor {href}")
    return problems


def test_real_site_links_and_anchors(site_dir):
    assert crawl(site_dir) == []


def test_crawler_catches_defects(site_dir, tmp_path):
    """The crawler is not blind: break an anchor, a link and add an external load."""

    broken = tmp_path / "site"
    shutil.copytree(site_dir, broken)
    page = broken / "en" / "economy.html"
    html = page.read_text("utf-8")
    first_note = re.search(r'id="(n-1)"', html).group(1)
    html = html.replace(f'id="{first_note}"', 'id="gone"', 1)
    html = html.replace("</main>", '<a href="nowhere.html">x</a><a href="/zh/index.html">y</a>'
                                   '<img src="https://cdn.example.com/x.png" alt=""></main>')
    page.write_text(html, "utf-8")
    problems = crawl(broken)
    assert "en/economy.html: missing anchor #n-1" in problems
    assert "en/economy.html: broken link nowhere.html" in problems
    assert "en/economy.html: root-relative link /zh/index.html" in problems
    assert "en/economy.html: external resource https://cdn.example.com/x.png" in problems


def test_every_page_has_its_counterpart_and_language(site_dir):
    zh = {p.name for p in (site_dir / "zh").glob("*.html")}
    en = {p.name for p in (site_dir / "en").glob("*.html")}
    assert zh == en and len(zh) >= 20
    for lang, html_lang in (("zh", "zh-Hans"), ("en", "en")):
        other = "en" if lang == "zh" else "zh"
        for name in zh:
            found = scan(site_dir / lang / name)
            assert found.html_lang == html_lang, name
            assert found.switch == f"../{other}/{name}", name
            assert len(re.findall(r"<h1[ >]", (site_dir / lang / name).read_text("utf-8"))) == 1, name


def test_han_text_on_english_pages_is_marked(site_dir):
    """Chinese on English pages carries lang="zh-Hans" (checked on the source pages, which quote a lot)."""
    for page in (site_dir / "en").glob("source-*.html"):
        html = page.read_text("utf-8")
        for block in re.findall(r"<blockquote([^>]*)>", html):
            assert 'lang="zh-Hans"' in block


def test_site_files(site_dir):
    for name in ("index.html", "404.html", ".nojekyll", "favicon.svg", "style.css", "data/facts.json",
                 "data/sources.json"):
        assert (site_dir / name).is_file(), name
    assert not (site_dir / "sitemap.xml").exists(), "no sitemap without --base-url"
    assert "canonical" not in (site_dir / "en" / "index.html").read_text("utf-8")


def test_two_builds_byte_identical(tmp_path, sources, capsys):
    outs = []
    for i in range(2):
        out = tmp_path / f"site{i}"
        assert build.main(["--sources", str(sources), "--out", str(out)]) == 0
        outs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outs[0] == outs[1]
    assert capsys.readouterr().out.splitlines()[-1].startswith("Built ")


def test_second_process_writes_what_one_process_writes(tmp_path, sources, monkeypatch):
    """On two cores the English pages are rendered by a forked process; the site must not depend on it."""
    from factsheet import pipeline, speed

    if not hasattr(os, "fork"):
        pytest.skip("needs os.fork (POSIX): without it every build runs in one process")
    started = []
    original = speed.in_child_process

    def spy(work):
        started.append(work)
        return original(work)

    monkeypatch.setattr(speed, "in_child_process", spy)
    sites = []
    for fork in (True, False):
        monkeypatch.setattr(speed, "second_process_pays", lambda facts: fork)
        out = tmp_path / f"site-{fork}"
        result = pipeline.build(build.ROOT / "content", build.ROOT / "templates", build.ROOT / "locale", sources,
                                "https://user.github.io/laoshan-factsheet/", out)
        files = tree(out)
        assert sorted(result.files) == sorted(set(files) - {MANIFEST})
        assert len(started) == 1, "the first build forks, the second does not"
        sites.append(files)
    assert sites[0] == sites[1]
    assert {p for p in sites[0] if p.startswith("en/")} == {"en/" + p.removeprefix("zh/") for p in sites[0]
                                                           if p.startswith("zh/")}


def test_compiled_templates_are_kept_and_never_stale(tmp_path, monkeypatch):
    """Templates compiled by one build are kept on disk for the next (`speed.template_cache`); an edited template,
    or an entry compiled by another Jinja or Python (its header differs), is compiled again, never run stale."""
    from factsheet import pipeline

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    templates = tmp_path / "templates"
    shutil.copytree(build.ROOT / "templates", templates)
    root = FIXTURES / "minimal"

    def built(name: str) -> dict[str, bytes]:
        pipeline.build(root / "content", templates, build.ROOT / "locale", root / "sources", None,
                       tmp_path / name)
        return tree(tmp_path / name)

    first = built("first")
    kept = sorted((tmp_path / "cache" / "laoshan-factsheet" / "templates").iterdir())
    assert len(kept) >= len(list(templates.glob("*.html")))
    assert built("again") == first
    prose = templates / "prose.html"
    prose.write_text(prose.read_text("utf-8").replace("{% block main %}", "{% block main %}<!-- edited -->", 1),
                     "utf-8")
    edited = built("edited")
    marked = {p for p, body in edited.items() if b"<!-- edited -->" in body}
    assert marked == {"zh/about.html", "en/about.html"}  # the fixture's one prose page, in each language
    assert {p: b for p, b in edited.items() if p not in marked} == {p: b for p, b in first.items() if p not in marked}
    prose.write_text(prose.read_text("utf-8").replace("<!-- edited -->", "", 1), "utf-8")
    for entry in kept:  # as if written by another version: Jinja's header (version, Python) no longer matches
        entry.write_bytes(b"j2-other-version" + entry.read_bytes()[16:])
    assert built("other-version") == first


def test_compiled_catalogs_are_kept_and_never_stale(tmp_path, monkeypatch):
    """Each language's catalog is compiled once per version of its .po (`speed.compiled_once`): a build with the
    compiled catalogs kept does not import Babel's .po reader; an edited .po is compiled again (its old entry
    removed) and its new text shows; a damaged kept file is compiled again."""
    import subprocess
    import sys

    from factsheet import pipeline

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    locale = tmp_path / "locale"
    shutil.copytree(build.ROOT / "locale", locale)
    root = FIXTURES / "minimal"

    def built(name: str) -> dict[str, bytes]:
        pipeline.build(root / "content", build.ROOT / "templates", locale, root / "sources", None, tmp_path / name)
        return tree(tmp_path / name)

    def kept() -> list[str]:
        return sorted(p.name.split("-")[0] for p in (cache / "laoshan-factsheet" / "catalogs").iterdir()
                      if not p.name.startswith("."))

    first = built("first")
    assert kept() == ["en", "zh"]
    reader_imported = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; from factsheet import pipeline; "
         f"pipeline.build(Path({str(root / 'content')!r}), Path({str(build.ROOT / 'templates')!r}), "
         f"Path({str(locale)!r}), None, None, None); print('babel.messages.pofile' in sys.modules)"],
        capture_output=True, text=True, cwd=build.ROOT, env=dict(os.environ, XDG_CACHE_HOME=str(cache)))
    assert reader_imported.stdout.split() == ["False"], reader_imported.stderr
    po = locale / "en" / "LC_MESSAGES" / "messages.po"
    text = po.read_text("utf-8")
    assert 'msgstr "Sources"\n' in text
    po.write_text(text.replace('msgstr "Sources"\n', 'msgstr "Sources (edited)"\n', 1), "utf-8")
    edited = built("edited")
    assert kept() == ["en", "zh"]  # the old English entry is gone
    assert any(b"Sources (edited)" in body for p, body in edited.items() if p.startswith("en/"))
    po.write_text(text, "utf-8")
    for entry in (cache / "laoshan-factsheet" / "catalogs").glob("*-*"):
        entry.write_bytes(b"damaged")
    assert built("damaged") == first


def test_compiled_templates_stay_in_memory_where_no_cache_folder_can_be_made(tmp_path, monkeypatch):
    from factsheet import pipeline, speed

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert isinstance(speed.template_cache(), speed.CompiledInMemory)
    root = FIXTURES / "minimal"
    sites = []
    for cache in (blocked, tmp_path / "cache"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
        pipeline.build(root / "content", build.ROOT / "templates", build.ROOT / "locale", root / "sources", None,
                       tmp_path / f"site-{cache.name}")
        sites.append(tree(tmp_path / f"site-{cache.name}"))
    assert sites[0] == sites[1] and len(sites[0]) > 20
    assert blocked.read_text("utf-8") == "a file where the cache folder would go"


def test_generated_methods_are_compiled_once_and_kept(tmp_path):
    """build.py keeps the code `dataclasses` generates for the record types (`speed.generated_code_kept`): the first
    build writes it, the next reuses it without compiling (the file is not rewritten) and builds the same site; a
    damaged file is compiled again and replaced; where no cache folder can be made, the build is the same."""
    import marshal
    import subprocess
    import sys
    import types

    cache = tmp_path / "cache"
    kept = cache / "laoshan-factsheet" / "code" / f"dataclasses.{sys.implementation.cache_tag}-"

    def built(name: str, cache_home: Path = cache) -> dict[str, bytes]:
        done = subprocess.run([sys.executable, str(build.ROOT / "build.py"), "--content",
                               str(FIXTURES / "minimal" / "content"), "--out", str(tmp_path / name)],
                              capture_output=True, text=True, env=dict(os.environ, XDG_CACHE_HOME=str(cache_home)))
        assert done.returncode == 0, done.stderr
        return tree(tmp_path / name)

    first = built("first")
    (path,) = kept.parent.glob(kept.name + "*.marshal")
    code = marshal.loads(path.read_bytes())
    assert len(code) > 300 and all(isinstance(v, types.CodeType) for v in code.values())
    assert any("\n def __init__(self," in source for source in code)
    written = path.stat().st_mtime_ns
    assert built("again") == first
    assert path.stat().st_mtime_ns == written  # nothing new was compiled, so nothing was written
    path.write_bytes(b"not marshal data")
    assert built("damaged") == first
    assert marshal.loads(path.read_bytes()).keys() == code.keys()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go", "utf-8")
    assert built("no-cache", blocked) == first


def test_kept_generated_code_makes_the_same_record_types(tmp_path, monkeypatch):
    """A record type declared with the kept code behaves as one declared without it: defaults, equality, hashing,
    repr, frozenness, annotations (compiled without this module's `from __future__ import annotations`); code
    compiled once is reused by the next process's cache, and a save keeps only what is still used."""
    import dataclasses
    import marshal
    from dataclasses import FrozenInstanceError, dataclass, field

    from factsheet.speed import GeneratedCode

    def declare():
        @dataclass(frozen=True, slots=True)
        class Record:
            name: str
            tags: tuple = ()
            extra: list = field(default_factory=list, compare=False)

        return Record

    def behaviour(cls) -> tuple:
        a, b = cls("x", ("t",)), cls("x", ("t",), [1])
        with pytest.raises(FrozenInstanceError):
            a.name = "y"
        return (a == b, hash(a) == hash(b), repr(a), repr(cls("z")), cls.__init__.__annotations__,
                cls.__eq__(a, 1), cls.__match_args__)

    plain = behaviour(declare())
    path = tmp_path / "code.marshal"
    first = GeneratedCode(path)
    monkeypatch.setattr(dataclasses, "exec", first.exec, raising=False)
    assert behaviour(declare()) == plain
    assert first.new > 0
    first.save()
    again = GeneratedCode(path)
    monkeypatch.setattr(dataclasses, "exec", again.exec, raising=False)
    assert behaviour(declare()) == plain
    assert again.new == 0 and again.used == set(first.code)
    stale = GeneratedCode(path)
    stale.code |= {f"x = {i}": compile(f"x = {i}", "<string>", "exec") for i in range(3 * len(first.code))}
    stale.exec("y = 1", {}, {})  # one new text: the save writes what was used, not the stale entries
    stale.save()
    assert set(marshal.loads(path.read_bytes())) == {"y = 1"}


def test_no_fork_with_other_threads():
    """A fork copies only the calling thread; another thread (the development server's) may hold a lock."""
    import threading

    from factsheet.speed import FORK_FACTS, second_process_pays

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not second_process_pays(FORK_FACTS * 10)
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("fork", [True, False])
def test_unreadable_catalog_fails_and_keeps_old_site(tmp_path, monkeypatch, fork):
    """A broken English catalog fails the build with a located error, whichever process renders English."""
    from factsheet import pipeline, speed
    from factsheet.model import ContentErrors

    if fork and not hasattr(os, "fork"):
        pytest.skip("needs os.fork (POSIX): without it every build runs in one process")
    monkeypatch.setattr(speed, "second_process_pays", lambda facts: fork)
    locale = tmp_path / "locale"
    shutil.copytree(build.ROOT / "locale", locale)
    po = locale / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text("utf-8") + '\nmsgid "x"\n', "utf-8")
    out = tmp_path / "site"
    before = previous_site(out)
    root = FIXTURES / "minimal"
    with pytest.raises(ContentErrors) as exc:
        pipeline.build(root / "content", build.ROOT / "templates", locale, root / "sources", None, out)
    last_line = len(po.read_text("utf-8").splitlines())  # where the broken entry is
    assert [str(e) for e in exc.value.errors] == [
        f"{po.as_posix()}:{last_line}: cannot read the en catalog: missing msgstr for msgid 'x' "
        "(hint: restore it from git, or run pybabel update (see README))"]
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locale", "site"]


def test_child_process_outcomes():
    from factsheet.model import ContentError, ContentErrors
    from factsheet.speed import in_child_process as _in_child_process

    if not hasattr(os, "fork"):
        pytest.skip("needs os.fork (POSIX)")
    assert _in_child_process(lambda: ["en/index.html"]).result() == ["en/index.html"]
    error = ContentError("a.yaml", 3, "value", "bad", "fix it")

    def content_error():
        raise ContentErrors([error])

    with pytest.raises(ContentErrors) as exc:
        _in_child_process(content_error).result()
    assert [str(e) for e in exc.value.errors] == [str(error)] == ["a.yaml:3: value: bad (hint: fix it)"]
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        _in_child_process(lambda: 1 / 0).result()


def test_base_url_adds_canonical_hreflang_sitemap(tmp_path, capsys):
    root = FIXTURES / "minimal"
    out = tmp_path / "site"
    base = "https://user.github.io/laoshan-factsheet/"
    assert build.main(["--content", str(root / "content"), "--sources", str(root / "sources"), "--out", str(out),
                       "--base-url", base]) == 0
    html = (out / "en" / "economy.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{base}en/economy.html">' in html
    assert f'<link rel="alternate" hreflang="zh-Hans" href="{base}zh/economy.html">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{base}zh/economy.html">' in html
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{base}en/economy.html</loc>" in sitemap
    assert f"Sitemap: {base}sitemap.xml" in (out / "robots.txt").read_text("utf-8")


def test_summary_line(tmp_path, capsys):
    """One line: the pages by language, the facts, milestones and warnings, the time and the folder."""
    root = FIXTURES / "minimal"
    out = tmp_path / "site"
    assert build.main(["--content", str(root / "content"), "--sources", str(root / "sources"), "--out", str(out)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    zh, en = (len(list((out / lang).glob("*.html"))) for lang in ("zh", "en"))
    assert re.fullmatch(rf"Built {zh + en + 2} pages \(zh {zh}, en {en}\), 3 facts, 1 milestones, 0 warnings in "
                        rf"\d+\.\d\d s → .*site", last), last


def test_minimal_site_shows_figures_in_both_languages(tmp_path):
    root = FIXTURES / "minimal"
    out = tmp_path / "site"
    assert build.main(["--content", str(root / "content"), "--sources", str(root / "sources"), "--out", str(out)]) == 0
    zh = (out / "zh" / "economy.html").read_text("utf-8")
    en = (out / "en" / "economy.html").read_text("utf-8")
    assert "220.38亿元" in zh and "CNY 22.038 billion" in en
    assert "315个" in zh and "315" in en
    assert crawl(out) == []
    projects = (out / "en" / "timelines.html").read_text("utf-8")
    assert "March 2024" in projects and 'id="m-a-vr-delivery"' in projects


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_page_rendered_not_escaped(tmp_path, lang):
    root = FIXTURES / "minimal"
    out = tmp_path / "site"
    assert build.main(["--content", str(root / "content"), "--out", str(out)]) == 0
    html = (out / lang / "about.html").read_text("utf-8")
    assert "<strong>" in html


class VisibleText(HTMLParser):
    """The text a reader sees on a page: not tags, attributes, scripts, styles or code (file names, hashes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "title"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "title"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def test_no_internal_id_reaches_a_reader(site_dir):
    """Readers never see an internal id (2024-03, 2024-03-gdp-growth): notes name articles and figures in words.
    The downloads page is the exception: it documents the data files, whose values are ids and dates in that syntax."""
    from factsheet.link import ID_MENTION_RE

    leaks = []
    for page in sorted(p for p in site_dir.rglob("*.html") if p.name != "downloads.html"):
        parser = VisibleText()
        parser.feed(page.read_text("utf-8"))
        text = " ".join(parser.parts)
        leaks += [f"{page.relative_to(site_dir)}: {m[0]}" for m in ID_MENTION_RE.finditer(text)]
    assert not leaks, leaks[:10]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plans_agree_across_pages_and_notes_number_as_read(site_dir, lang):
    """The plans page numbers its notes in reading order; the overview counts the targets it shows; an indicator
    page lists each target once, as the plans page does (a target stated by two articles is one line)."""
    folder = site_dir / lang
    plans = (folder / "plans.html").read_text("utf-8")
    main = plans[plans.index("<main"):plans.index('<section class="notes"')]
    numbers = [int(n) for n in re.findall(r'href="#n-(\d+)"', main)]
    assert numbers == sorted(numbers) and numbers[0] == 1, numbers[:10]
    total = re.search(r'<p class="plans-summary">\D*(\d+)', plans)[1]
    overview = (folder / "index.html").read_text("utf-8")
    assert re.search(r'href="plans.html">[^<]*</a><span class="count">\D*(\d+)', overview)[1] == total
    for page in sorted(folder.glob("indicator-*.html")):
        items = re.findall(r'<ul class="plan-status">(.*?)</ul>', page.read_text("utf-8"), re.S)
        lines = re.findall(r"<li>(.*?)</li>", items[0], re.S) if items else []
        assert len(lines) == len(set(re.sub(r'href="[^"]*"', "", line) for line in lines)), page.name
