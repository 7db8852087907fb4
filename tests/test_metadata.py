"""Metadata for search engines and link previews, and the GitHub Pages workflow that publishes the site."""

from __future__ import annotations

import json
import re
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import CONTENT, LOCALE, ROOT, TEMPLATES
from factsheet.tables import PACKAGE, TABLES
from factsheet.pipeline import build

BASE = "https://user.github.io/laoshan-factsheet/"
HAN = re.compile(r"[\u3400-\u9fff]")
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
OG_LOCALE = {"zh": ("zh_CN", "en_GB"), "en": ("en_GB", "zh_CN")}


class Head(HTMLParser):
    """Collect the metadata of one page: meta tags, link rels and JSON-LD blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self.lang = ""
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "meta" and ("name" in a or "property" in a):
            self.meta.setdefault(a.get("name") or a["property"], []).append(a.get("content", ""))
        elif tag == "link":
            self.links.append(a)
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data

    def one(self, key: str) -> str:
        """Return the single content of a meta tag; fail if it is missing or repeated."""
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def alternates(self) -> dict[str, str]:
        """Return hreflang → href of the page's alternate links."""
        found = [(a["hreflang"], a["href"]) for a in self.links if a.get("rel") == "alternate" and "hreflang" in a]
        assert len(found) == len(dict(found)), found
        return dict(found)

    def canonical(self) -> list[str]:
        """Return the canonical links' hrefs."""
        return [a["href"] for a in self.links if a.get("rel") == "canonical"]


def head(html: bytes) -> Head:
    """Parse one page's metadata."""
    parser = Head()
    parser.feed(html.decode("utf-8"))
    return parser


@pytest.fixture(scope="module")
def deployed() -> dict[str, bytes]:
    """The real content built in memory as the Pages workflow builds it: with --base-url, without --sources."""
    return build(CONTENT, TEMPLATES, LOCALE, None, BASE, out_dir=None).pages


@pytest.fixture(scope="module")
def local(built) -> dict[str, bytes]:
    """The real content built without --base-url (the session's build), read back from the folder it was written to."""
    result, site_dir = built
    return {path: (site_dir / path).read_bytes() for path in result.files}


def language_pages(pages: dict[str, bytes]) -> list[str]:
    """Return the paths of every page of both languages."""
    return sorted(p for p in pages if p.endswith(".html") and p[:3] in ("zh/", "en/"))


# --- Every page: description, Open Graph, Twitter -----------------------------------------


def test_every_page_has_description_and_card_in_its_language(local):
    paths = language_pages(local)
    assert len(paths) >= 40
    for path in paths:
        lang = path[:2]
        page = head(local[path])
        description = page.one("description")
        assert description.strip(), path
        if lang == "zh":
            assert HAN.search(description), path
        else:
            assert not HAN.search(description), (path, description)
        assert page.one("og:title") and page.one("twitter:title") == page.one("og:title"), path
        assert page.one("og:description") == description == page.one("twitter:description"), path
        assert (page.one("og:locale"), page.one("og:locale:alternate")) == OG_LOCALE[lang], path
        assert page.one("twitter:card") in ("summary", "summary_large_image"), path
        assert page.one("og:type") == "website", path


def test_landing_page_has_description_and_card(deployed):
    page = head(deployed["index.html"])
    description = page.one("description")
    assert HAN.search(description) and re.search(r"[A-Za-z]{4}", description)
    assert page.one("og:title") and page.one("twitter:card") and page.one("og:description") == description
    assert page.one("og:url") == BASE + "index.html"


def test_without_base_url_nothing_absolute(local):
    page = head(local["en/economy.html"])
    assert page.canonical() == [] and page.alternates() == {} and "og:url" not in page.meta
    assert "sitemap.xml" not in local and "robots.txt" not in local


# --- With --base-url: canonical, hreflang, sitemap, robots ---------------------------------


def url_of(path: str) -> str:
    """Return the absolute address of a site path."""
    return BASE + path


def test_canonical_and_reciprocal_hreflang(deployed):
    paths = language_pages(deployed) + ["index.html"]
    sets = {}
    for path in paths:
        page = head(deployed[path])
        assert page.canonical() == [url_of(path)], path
        alternates = page.alternates()
        assert set(alternates) == {"zh-Hans", "en", "x-default"}, path
        assert all(href.startswith(BASE) for href in alternates.values()), path
        sets[url_of(path)] = alternates
        if path[:3] in ("zh/", "en/"):
            assert page.one("og:url") == url_of(path)
            name = path[3:]
            assert alternates["zh-Hans"] == url_of(f"zh/{name}") and alternates["en"] == url_of(f"en/{name}")
    # Reciprocal: every page an alternate names lists the same set, so each points back.
    for url, alternates in sets.items():
        for hreflang, href in alternates.items():
            assert href in sets, f"{url}: {hreflang} → {href} is not a page"
            assert sets[href] == alternates, f"{href} does not list the same alternates as {url}"
    assert sets[url_of("en/index.html")]["x-default"] == url_of("index.html")


def test_sitemap_lists_every_page_with_its_alternates(deployed):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(deployed["sitemap.xml"])
    entries = {}
    for url in root.findall("s:url", ns):
        loc = url.find("s:loc", ns).text
        links = {a.get("hreflang"): a.get("href") for a in url.findall("x:link", ns)}
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = links
    pages = language_pages(deployed) + ["index.html"]
    assert set(entries) == {url_of(p) for p in pages}
    assert url_of("404.html") not in entries
    for path in pages:
        assert entries[url_of(path)] == head(deployed[path]).alternates(), path


def test_robots_points_at_sitemap(deployed):
    robots = deployed["robots.txt"].decode("utf-8").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {BASE}sitemap.xml" in robots
    assert not any(line.strip() == "Disallow: /" for line in robots)


# --- JSON-LD ---------------------------------------------------------------------------


def dataset_of(html: bytes) -> dict:
    """Return the one JSON-LD block of a page, parsed."""
    blocks = head(html).json_ld
    assert len(blocks) == 1, len(blocks)
    assert "</" not in blocks[0]
    return json.loads(blocks[0])


def files_of(pages: dict[str, bytes]) -> set[str]:
    """Return the path from the site root of every data file of the whole fact sheet (not the files of one series,
    which their indicator pages offer)."""
    return {p for p in pages if p.startswith("data/") and not p.startswith("data/series/")}


@pytest.mark.parametrize("path", ["zh/index.html", "en/index.html", "zh/downloads.html", "en/downloads.html"])
@pytest.mark.parametrize("with_base", [True, False], ids=["base-url", "relative"])
def test_dataset_json_ld(deployed, local, path, with_base):
    pages = deployed if with_base else local
    ld = dataset_of(pages[path])
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "Dataset"
    for key in ("name", "description"):
        values = {v["@language"]: v["@value"] for v in ld[key]}
        assert set(values) == {"zh-Hans", "en"} and all(values.values()), key
        assert HAN.search(values["zh-Hans"]) and not HAN.search(values["en"])
    assert set(ld["inLanguage"]) == {"zh-Hans", "en"}
    assert ld["license"].startswith("https://")
    assert all(d["@type"] == "DataDownload" and d["encodingFormat"] in ("text/csv", "application/json")
               for d in ld["distribution"])
    urls = [d["contentUrl"] for d in ld["distribution"]]
    prefix = BASE if with_base else "../"
    assert all(u.startswith(prefix) for u in urls), urls
    assert {u[len(prefix):] for u in urls} == files_of(pages) == (
        {t.csv for t in TABLES} | {t.json for t in TABLES} | {PACKAGE})
    articles = ld["isBasedOn"]
    assert len(articles) == 5
    for article in articles:
        assert article["@type"] == "NewsArticle"
        assert HAN.search(article["headline"])
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", article["datePublished"])
        assert article["publisher"]["@type"] == "Organization" and article["publisher"]["name"]
    if with_base:
        assert ld["url"] == url_of(f"{path[:2]}/downloads.html")
    else:
        assert "url" not in ld


def test_json_ld_only_where_it_belongs(local):
    with_ld = {p for p in language_pages(local) if head(local[p]).json_ld}
    assert with_ld == {"zh/index.html", "en/index.html", "zh/downloads.html", "en/downloads.html"}


# --- The GitHub Pages workflow ------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict:
    """The Pages workflow, parsed."""
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def steps_using(steps: list[dict], action: str) -> list[dict]:
    """Return the steps that use `action` (any version)."""
    return [s for s in steps if s.get("uses", "").split("@")[0] == action]


def test_workflow_builds_on_push_to_main_and_deploys(workflow):
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert on["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    order = [s.get("uses", "").split("@")[0] or s.get("run", "") for s in steps]
    for action in ("actions/checkout", "actions/setup-python", "actions/configure-pages",
                   "actions/upload-pages-artifact"):
        assert len(steps_using(steps, action)) == 1, action
    pages = steps_using(steps, "actions/configure-pages")[0]
    build_step = next(s for s in steps if "build.py" in s.get("run", ""))
    command = build_step["run"]
    base = f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    assert base in command or (base in build_step.get("env", {}).values()
                               and any(f"${name}" in command for name, value in build_step["env"].items()
                                       if value == base)), "--base-url must come from configure-pages"
    assert "--base-url" in command
    assert "--sources" not in command and "--strict" not in command, "the articles are not in the repository"
    position = steps.index(build_step)
    assert order.index("actions/configure-pages") < position < order.index("actions/upload-pages-artifact")
    install = " ".join(s.get("run", "") for s in steps[:steps.index(build_step)])
    assert "pip install" in install
    if "--pdf" in command:
        assert "fonts-noto-cjk" in install and ".[pdf]" in install
    upload = steps_using(steps, "actions/upload-pages-artifact")[0]
    assert upload["with"]["path"].rstrip("/") == "site"
    assert "--out site" in command or "--out" not in command
    assert workflow["jobs"]["tests"] == {"uses": "./.github/workflows/tests.yml"}
    assert workflow["jobs"]["build"]["needs"] == "tests", "nothing is deployed before the tests pass"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_tests_run_on_pull_requests_and_pushes_with_the_readme_command():
    tests = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text("utf-8"))
    on = tests.get("on", tests.get(True))
    assert set(on) == {"pull_request", "push", "workflow_call"}
    assert on["push"] == {"branches-ignore": ["main"]}, "main is tested by pages.yml, which calls this workflow"
    steps = tests["jobs"]["test"]["steps"]
    assert steps[-1]["run"] == "make test"
    assert tests["jobs"]["test"]["env"]["CI"] == "true"


def actionlint() -> str | None:
    """Return the actionlint executable (the test extra installs it); fail under CI if it is missing."""
    local = Path(sys.executable).parent / "actionlint"
    exe = str(local) if local.is_file() else shutil.which("actionlint")
    if exe is None and os.environ.get("CI") == "true":
        pytest.fail("actionlint is missing: install the test extra (pip install -e '.[test]')")
    return exe


def test_workflow_passes_actionlint():
    exe = actionlint()
    if exe is None:
        pytest.skip("actionlint is not installed (see docs/deploy.md)")
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert WORKFLOW in workflows and len(workflows) == 2
    result = subprocess.run([exe, "-no-color", *map(str, workflows)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_is_not_blind(tmp_path):
    exe = actionlint()
    if exe is None:
        pytest.skip("actionlint is not installed (see docs/deploy.md)")
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text("utf-8").replace("steps.pages.outputs", "steps.nope.outputs"), "utf-8")
    result = subprocess.run([exe, "-no-color", str(broken)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "nope" in result.stdout
