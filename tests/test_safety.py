"""Trust at the edges: bad and hostile input gets a located error and leaves the previous site byte-identical; the
writer touches nothing it did not make; a killed build never leaves the site missing; no traceback reaches a user."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import build
from conftest import BAD_INPUT_ROW, FIXTURES, LOCALE, TEMPLATES, WITHOUT_SITE, previous_site, tree
from safety_cases import CASES, ROOT, Case

def run_build(args: list[str], capsys) -> tuple[int, str]:
    """Run build.py's main in this process; return the exit status and what it printed on stderr."""
    try:
        status = build.main(args)
    except SystemExit as exc:  # argparse's usage errors
        status = int(exc.code or 0)
    return status, capsys.readouterr().err


def listing(folder: Path) -> dict[str, int]:
    """Return the names and sizes of a folder's top level (enough to see that nothing was removed or changed)."""
    return {p.name: p.stat().st_size for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path, capsys, record_property):
    """Each bad input: its exit status, its exact messages, no traceback, and the previous site left as it was."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "minimal", root, ignore=WITHOUT_SITE)
    out = tmp_path / "site"
    before = previous_site(out)
    capsys.readouterr()
    extra = case.edit(root, out)
    target = Path(extra[extra.index("--out") + 1]) if "--out" in extra else out
    target_before = listing(target) if target == ROOT else tree(target) if target.is_dir() else None
    out_before = tree(out)
    args = ["--content", str(root / "content"), "--sources", str(root / "sources"), "--out", str(out), *extra]
    status, err = run_build(args, capsys)

    assert "Traceback" not in err and "internal error" not in err
    lines = err.splitlines()
    fill = {"{tmp}": str(tmp_path), "{project}": str(ROOT)}

    def filled(text: str) -> str:
        for key, value in fill.items():
            text = text.replace(key, value)
        return text

    assert [line for line in lines if line.startswith("error: ")] == [f"error: {filled(e)}" for e in case.errors]
    assert [line for line in lines if line.startswith("warning: ")] == [f"warning: {filled(w)}" for w in case.warnings]
    assert status == case.status
    if status:
        assert tree(out) == out_before, "a failed build must leave the previous site untouched"
        assert out_before == before or case.kind == "output folder"
    if target != out:
        assert (listing(target) if target == ROOT else tree(target) if target.is_dir() else None) == target_before
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name], "no staging folder may be left behind"
    first = (case.errors or case.warnings or ("(built)",))[0].replace(str(tmp_path), "…").replace("|", "\\|")
    record_property(BAD_INPUT_ROW, (CASES.index(case), f"| {case.kind} | {case.name} | {status} | {first[:160]} | "
                    f"{'byte-identical' if status == 0 or tree(out) == out_before else 'CHANGED'} |"))


def test_forty_cases_across_the_classes():
    """The closing note lists at least forty bad inputs, across these classes."""
    assert len(CASES) >= 40
    assert {c.kind for c in CASES} >= {"output folder", "markup", "text", "number", "date", "file", "semantic",
                                       "all at once"}


def test_one_run_reports_field_reference_and_quotation_errors():
    """The three stages' errors of one run come together (the 'all at once' case): a field error (validate),
    an unknown reference (link) and a quotation not in the article (link, with --sources)."""
    (case,) = [c for c in CASES if c.kind == "all at once"]
    assert [e.split(": ")[1] for e in case.errors] == ["indicators[0].unit", "vr-creation-center.theme", "a-revenue.quote"]
    assert len({e.split(":")[0] for e in case.errors}) == 3


HOSTILE = [".nan", "[1, 2, 3]", "{}", "-", "null", '"\\0"', "2024-13", "2100-02-29", "<script>alert(1)</script>",
           "!!binary AAAA", "*nothing", "&anchor [1]", "!!python/object/apply:os.system ['true']", "''", "9" * 400,
           "1e999", "[.inf, 1]", '"\\u202e"', "{zh: , en: }", "true", "0000", "2024-H3", "'=HYPERLINK(\"x\")'"]


def mutate(text: str, rng: random.Random) -> str:
    """Break one content file in one of several ways a user or an attacker might."""
    lines = text.splitlines(keepends=True)
    how = rng.randrange(6)
    i = rng.randrange(len(lines))
    if how == 0:
        del lines[i]
    elif how == 1:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif how == 2 and ":" in lines[i]:
        key, _, _ = lines[i].partition(":")
        lines[i] = f"{key}: {rng.choice(HOSTILE)}\n"
    elif how == 3:
        return text[: rng.randrange(len(text))]
    elif how == 4:
        lines[i] = lines[i].replace(" ", rng.choice(["\t", "  ", "", "\u00a0"]), 1)
    else:
        data = bytearray(text.encode("utf-8"))
        data[rng.randrange(len(data))] = rng.randrange(256)
        return data.decode("utf-8", errors="surrogateescape")
    return "".join(lines)


@pytest.mark.parametrize("seed", range(3))
def test_no_traceback_for_any_broken_input(seed, tmp_path, capsys):
    """Seeded random damage to the content files, many times over: the user always gets a message, never a
    traceback or an internal error, and the previous site stays as it was after every failed build."""
    rng = random.Random(seed)
    out = tmp_path / "site"
    before = previous_site(out)
    capsys.readouterr()
    files = sorted(p.relative_to(FIXTURES / "minimal") for p in (FIXTURES / "minimal" / "content").rglob("*")
                   if p.is_file())
    statuses = []
    for attempt in range(50):
        root = tmp_path / f"c{attempt}"
        shutil.copytree(FIXTURES / "minimal", root, ignore=WITHOUT_SITE)
        victim = root / rng.choice(files)
        victim.write_bytes(mutate(victim.read_text("utf-8"), rng).encode("utf-8", errors="surrogateescape"))
        status, err = run_build(["--content", str(root / "content"), "--sources", str(root / "sources"),
                                 "--out", str(out)], capsys)
        assert "Traceback" not in err and "internal error" not in err, (victim, err)
        assert status in (0, 1), err
        if status == 1:
            assert err.splitlines()[0].startswith("error: "), err
            assert tree(out) == before, f"{victim}: a failed build changed the site"
        before = tree(out)
        statuses.append(status)
    assert statuses.count(1) >= 25, "most damage must be caught"


def test_unexpected_exception_is_reported_as_a_bug(tmp_path, capsys, monkeypatch):
    """The last line of defence: an exception nobody foresaw is one line saying it is a bug, exit status 70."""
    from factsheet import pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pipeline, "link", broken)
    status, err = run_build(["--content", str(FIXTURES / "minimal" / "content"), "--out", str(tmp_path / "s")], capsys)
    assert status == 70
    assert err.strip() == ("internal error (a bug in the generator, please report it with this line): "
                           "ZeroDivisionError: division by zero")


@pytest.mark.parametrize("code, hint", [
    (errno.EROFS, "the disk is read-only; choose another --out"),
    (errno.ENOSPC, "the disk is full; free some space and build again"),
    (errno.EACCES, "check the folder's permissions, or choose another --out"),
    (errno.EIO, "check the path and build again"),
])
def test_write_errors_are_located(code, hint, tmp_path, capsys, monkeypatch):
    """An operating-system error while writing names the file and what failed, exit 1, old site untouched.
    (Simulated: as root, permissions and read-only mounts cannot be made to fail for real here.)"""
    out = tmp_path / "site"
    before = previous_site(out)
    real_open = Path.open

    def failing_open(self, mode="r", *args, **kwargs):
        if "w" in mode and self.name == "timelines.html":
            raise OSError(code, os.strerror(code), str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing_open)
    capsys.readouterr()
    root = FIXTURES / "minimal"
    status, err = run_build(["--content", str(root / "content"), "--sources", str(root / "sources"),
                             "--out", str(out)], capsys)
    assert status == 1
    line = err.splitlines()[0]
    assert re.fullmatch(rf"error: {re.escape(str(out))}/(zh|en)/timelines\.html: cannot create the file: "
                        rf"{re.escape(os.strerror(code))} \(hint: {re.escape(hint)}\)", line), line
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_template_errors_are_located(tmp_path):
    """A template's syntax error, or a name its context lacks, is a located error."""
    from factsheet.model import ContentErrors
    from factsheet.pipeline import build as run

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    base = templates / "base.html"
    text = base.read_text("utf-8")
    root = FIXTURES / "minimal"
    def line_of(needle: str) -> int:
        return text[: text.index(needle)].count("\n") + 1

    for broken, expected in [
        (text.replace("{{ common.brand }}", "{{ common.brnd }}"),
         f"{base}:{line_of('{{ common.brand }}')}: template error: Common has no field 'brnd'"),
        (text.replace("{% block main %}{% endblock %}", "{% block main %}{% endblok %}"),
         f"{base}:{line_of('{% block main %}')}: template syntax error: Encountered unknown tag 'endblok'."),
    ]:
        base.write_text(broken, "utf-8")
        with pytest.raises(ContentErrors) as exc:
            run(root / "content", templates, LOCALE, root / "sources", None, None)
        assert str(exc.value.errors[0]).startswith(expected)


def test_json_ld_cannot_end_its_script(tmp_path):
    """A publisher's name with `<!--<script>` or `</script>` stays inside the JSON-LD, which stays valid JSON."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "minimal", root, ignore=WITHOUT_SITE)
    site_yaml = root / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace(
        "publisher: {zh: 测试, en: Tests}", 'publisher: {zh: "测试<!--<script>", en: "Tests</script><b>&"}'), "utf-8")
    out = tmp_path / "site"
    assert build.main(["--content", str(root / "content"), "--sources", str(root / "sources"), "--out", str(out)]) == 0
    for lang in ("zh", "en"):
        page = (out / lang / "index.html").read_text("utf-8")
        (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        assert "<" not in script and ">" not in script and "&" not in script
        assert json.loads(script)["publisher"]["name"][1]["@value"] == "Tests</script><b>&"


def test_spreadsheet_formulas_are_neutralised(tmp_path):
    """A text cell starting with = + - @ is written behind a ' in the CSV files, and as it is in JSON."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "minimal", root, ignore=WITHOUT_SITE)
    facts = root / "content" / "facts" / "a.yaml"
    facts.write_text(facts.read_text("utf-8").replace("en: GDP growth}", """en: '=HYPERLINK("http://x","y")'}"""), "utf-8")
    out = tmp_path / "site"
    assert build.main(["--content", str(root / "content"), "--sources", str(root / "sources"), "--out", str(out)]) == 0
    csv_text = (out / "data" / "facts.csv").read_text("utf-8")
    assert ""","'=HYPERLINK(""http://x"",""y"")",""" in csv_text
    assert json.loads((out / "data" / "facts.json").read_text("utf-8"))[0]["subject_en"] == '=HYPERLINK("http://x","y")'


def test_builds_replace_the_site_and_remove_only_their_own_litter(tmp_path, capsys):
    """A rebuild replaces its own site; staging folders of killed builds are removed; a look-alike that is not
    the generator's (no manifest) is left alone."""
    from factsheet.write import MANIFEST

    out = tmp_path / "site"
    before = previous_site(out)
    stale = tmp_path / ".site.staging-killed"
    shutil.copytree(out, stale)
    empty = tmp_path / ".site.staging-empty"
    empty.mkdir()
    stranger = tmp_path / ".site.staging-mine"
    stranger.mkdir()
    (stranger / "keep.txt").write_text("not the generator's", "utf-8")
    (out / MANIFEST).read_text("utf-8")
    root = FIXTURES / "minimal"
    assert build.main(["--content", str(root / "content"), "--sources", str(root / "sources"),
                       "--out", str(out)]) == 0
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.staging-mine", "site"]
    assert (stranger / "keep.txt").read_text("utf-8") == "not the generator's"


def test_output_through_a_symlink_keeps_the_link_target_safe(tmp_path):
    """--out naming a link to a site: the link is replaced by the new site; what it pointed to is not deleted."""
    real = tmp_path / "real"
    before = previous_site(real)
    link_path = tmp_path / "site"
    link_path.symlink_to(real, target_is_directory=True)
    root = FIXTURES / "minimal"
    assert build.main(["--content", str(root / "content"), "--sources", str(root / "sources"),
                       "--out", str(link_path)]) == 0
    assert tree(real) == before
    assert not link_path.is_symlink() and tree(link_path) == before


def test_killed_builds_never_leave_the_site_missing(tmp_path):
    """Builds of the real content killed at random moments (SIGKILL, SIGTERM, SIGINT): at every moment a complete
    site is in place, and the next build leaves no litter."""
    out = tmp_path / "site"
    command = [sys.executable, str(ROOT / "build.py"), "--out", str(out)]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    subprocess.run(command, check=True, capture_output=True, env=env)
    complete = tree(out)
    missing: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not (out / "zh" / "index.html").is_file():
                missing.append(time.monotonic())
            time.sleep(0.0005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    rng = random.Random(7)
    signals = [signal.SIGKILL, signal.SIGTERM, signal.SIGINT] * 4
    try:
        for sig in signals:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            time.sleep(rng.uniform(0.05, 0.9))
            process.send_signal(sig)
            process.wait(timeout=30)
            time.sleep(0.05)  # a forked renderer orphaned by SIGKILL ends on its own
            assert tree(out) == complete, f"after {sig.name} the site is not the complete site"
    finally:
        stop.set()
        watcher.join()
    assert not missing, "there was a moment with no site in place"
    subprocess.run(command, check=True, capture_output=True, env=env)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert tree(out) == complete


def test_the_command_line_ends_at_once_and_says_everything(tmp_path):
    """build.py ends without the interpreter's teardown (`speed.exit_now`): every line it printed still arrives
    through a pipe, buffered or not; a reader that leaves early (`build.py | head -1`) gets status 120, no traceback."""
    command = [sys.executable, str(ROOT / "build.py"), "--out", str(tmp_path / "site")]
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run(command, capture_output=True, text=True, env=buffered)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == ["Facts by source", "Facts by kind", "Facts by theme"]
    assert lines[-1].startswith("Built ") and "→" in lines[-1]
    assert done.stderr.startswith("warning: ") and "quotations not verified" in done.stderr
    for unbuffered in ("", "1"):
        with subprocess.Popen(command[:2] + ["check"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=dict(buffered, PYTHONUNBUFFERED=unbuffered)) as process:
            assert process.stdout is not None and process.stderr is not None
            process.stdout.close()
            said = process.stderr.read().decode()
            assert process.wait(timeout=60) == 120, said
        assert "Traceback" not in said and "quotations not verified" in said


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG and /proc are Linux's")
def test_a_killed_build_takes_its_second_renderer_with_it(tmp_path):
    """SIGKILL of a build while its forked renderer works: the renderer ends too, at once, rather than go on writing
    into the staging folder that the next build clears away."""
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("the build forks only on two cores or more")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--out", str(tmp_path / "site")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 30
    child = ""
    while not child and time.monotonic() < deadline and process.poll() is None:
        for pid in (children.read_text().split() if children.exists() else ()):
            with contextlib.suppress(OSError):  # a child that ended since the listing
                if b"build.py" in Path(f"/proc/{pid}/cmdline").read_bytes():  # the renderer, not `git log`
                    child = pid
        time.sleep(0.001)
    assert child, "the build ended before it forked its second renderer"
    process.kill()
    process.wait()
    gone = time.monotonic() + 0.1  # the renderer has a third of a second of work ahead of it when it forks
    while Path(f"/proc/{child}").exists() and time.monotonic() < gone:
        status = Path(f"/proc/{child}/status")
        if status.exists() and "State:\tZ" in status.read_text():
            break  # dead, waiting to be reaped by init
        time.sleep(0.01)
    alive = Path(f"/proc/{child}/status")
    assert not (alive.exists() and "State:\tZ" not in alive.read_text()), "the second renderer outlived its build"


def _folder(path: Path, name: str) -> Path:
    path.mkdir()
    (path / name).write_text(name, "utf-8")
    return path


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux's; macOS's renamex_np is not reachable here")
def test_the_site_is_exchanged_in_one_step(tmp_path, monkeypatch):
    """On Linux the new site and the old trade places by renameat2(RENAME_EXCHANGE): both exist throughout.
    Paths relative to the working folder (--out site) are resolved from it."""
    from factsheet.write import _exchange

    monkeypatch.chdir(tmp_path)
    a, b = _folder(Path("a"), "new"), _folder(Path("b"), "old")
    assert _exchange(a, b) is True
    assert [p.name for p in a.iterdir()] == ["old"] and [p.name for p in b.iterdir()] == ["new"]
    with pytest.raises(OSError) as exc:  # a real failure is raised, not mistaken for "cannot exchange"
        _exchange(Path("absent"), b)
    assert (exc.value.errno, exc.value.strerror, exc.value.filename) == (errno.ENOENT, os.strerror(errno.ENOENT), "b")


@pytest.mark.parametrize("code", [errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, None])
def test_no_exchange_means_two_renames(code, tmp_path, monkeypatch):
    """Where the kernel or file system cannot exchange (or the C library lacks the call), `_exchange` says so and
    the writer falls back to two renames; it does not raise."""
    import ctypes

    from factsheet import write

    class Libc:
        def renameat2(self, *args):
            ctypes.set_errno(code)
            return -1

    monkeypatch.setattr(write.sys, "platform", "linux")
    monkeypatch.setattr(write.ctypes, "CDLL", lambda *a, **k: Libc() if code else object())
    a, b = _folder(tmp_path / "a", "new"), _folder(tmp_path / "b", "old")
    assert write._exchange(a, b) is False
    assert [p.name for p in a.iterdir()] == ["new"]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_swap_leaves_the_previous_site_at_the_staging_path(exchange, tmp_path, monkeypatch):
    """Whether the system exchanges or the writer falls back to two renames, the new site ends at `out`, the old at
    the staging path (to be removed), and nothing else is left beside them."""
    from factsheet import write

    renames: list[tuple[Path, Path]] = []
    real_rename = os.rename
    monkeypatch.setattr(write.os, "rename", lambda a, b: (renames.append((Path(a), Path(b))), real_rename(a, b))[1])
    if not exchange:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    staging, out = _folder(tmp_path / ".site.staging-1", "new"), _folder(tmp_path / "site", "old")
    write._swap(staging, out)
    if not exchange:  # the old site waits beside `out` under a staging name, so a kill there leaves marked litter
        (_, old), = [pair for pair in renames if pair[0] == out]
        assert old.parent == tmp_path and old.name.startswith(".site.staging-") and old != staging
    assert [p.name for p in out.iterdir()] == ["new"] and [p.name for p in staging.iterdir()] == ["old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.staging-1", "site"]
    fresh = _folder(tmp_path / ".site.staging-2", "first")
    write._swap(fresh, tmp_path / "first-site")  # no previous site: a plain rename
    assert [p.name for p in (tmp_path / "first-site").iterdir()] == ["first"] and not fresh.exists()


def test_refusals_name_what_they_found(tmp_path):
    """The refusal message names up to three of the files found, and how many more."""
    from factsheet.write import OutputRefused, check_output

    out = tmp_path / "mine"
    out.mkdir()
    for name in "edcba":
        (out / f"{name}.txt").write_text(name, "utf-8")
    with pytest.raises(OutputRefused) as exc:
        check_output(out, {})
    assert "(a.txt, b.txt, c.txt and 2 more)" in str(exc.value)
    (out / "e.txt").unlink()
    with pytest.raises(OutputRefused) as exc:
        check_output(out, {})
    assert "(a.txt, b.txt, c.txt and 1 more)" in str(exc.value)
    (out / "d.txt").unlink()
    with pytest.raises(OutputRefused) as exc:
        check_output(out, {})
    assert "(a.txt, b.txt, c.txt); empty it" in str(exc.value)
    (out / "c.txt").unlink()
    with pytest.raises(OutputRefused) as exc:
        check_output(out, {})
    assert "(a.txt, b.txt); empty it" in str(exc.value)


@pytest.mark.parametrize("manifest", ['{"generator": "someone else", "files": []}', '{"generator": "%s"}', '[]',
                                      '{"generator": "%s", "files": "a.txt"}', 'not json'])
def test_only_this_generators_manifest_counts(manifest, tmp_path):
    """A folder is the generator's only by a manifest it wrote: another tool's, a malformed one, or none is refused."""
    from factsheet.write import GENERATOR, MANIFEST, read_manifest

    (tmp_path / MANIFEST).write_text(manifest.replace("%s", GENERATOR), "utf-8")
    assert read_manifest(tmp_path) is None
    (tmp_path / MANIFEST).write_text(json.dumps({"generator": GENERATOR, "files": ["a.txt", "b/c.txt"]}), "utf-8")
    assert read_manifest(tmp_path) == {"a.txt", "b/c.txt"}



def test_an_unreadable_output_folder_is_refused_by_name(tmp_path, monkeypatch):
    """A folder that cannot be listed is refused with the reason (simulated: root reads every folder)."""
    from factsheet.write import OutputRefused, check_output

    out = _folder(tmp_path / "site", "a.txt")

    def unreadable(self, pattern):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(Path, "rglob", unreadable)
    with pytest.raises(OutputRefused) as exc:
        check_output(out, {})
    assert str(exc.value) == f"--out {out}: cannot read this folder (Permission denied); choose another"


def test_litter_is_removed_and_reported_strangers_kept(tmp_path):
    """remove_litter returns what it removed; links, files and others' folders with look-alike names stay."""
    from factsheet.write import GENERATOR, MANIFEST, remove_litter

    litter = _folder(tmp_path / ".site.staging-a", "index.html")
    (litter / MANIFEST).write_text(json.dumps({"generator": GENERATOR, "files": ["index.html"]}), "utf-8")
    for i in range(4):
        (tmp_path / f".site.staging-link{i}").symlink_to(tmp_path, target_is_directory=True)
        (tmp_path / f".site.staging-file{i}").write_text("a file", "utf-8")
    assert remove_litter(tmp_path, "site") == [litter]
    assert not litter.exists()
    assert len(list(tmp_path.iterdir())) == 8


def test_the_manifest_is_one_file_per_line(tmp_path):
    """The manifest is readable and diffable: UTF-8 names as written, one per line, sorted, itself not listed."""
    from factsheet.write import GENERATOR, MANIFEST, write_manifest

    write_manifest(tmp_path, ["zh/index.html", "数据.csv", MANIFEST, "a.html", "a.html"])
    assert (tmp_path / MANIFEST).read_bytes().decode("utf-8") == (
        '{\n"generator": "%s",\n"files": [\n"a.html",\n"zh/index.html",\n"数据.csv"\n]\n}\n' % GENERATOR)
