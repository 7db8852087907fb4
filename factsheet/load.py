"""Stage 1: read the content folder — YAML and Markdown — keeping each item's file and line.

Files are read one at a time as stage 2 asks for them (see `load_content`).
"""

from __future__ import annotations

import datetime
import os
import stat
import subprocess
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import ContentError, ContentErrors

LIST_KEYS = ("sources", "themes", "scopes", "terms", "indicators", "projects", "milestones",
             "facts", "plans", "uncited")
"""Top-level keys a content YAML file may hold; `site.yaml` is the one mapping of settings."""


class Node(dict):
    """A YAML mapping that remembers the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


STR_TAG = "tag:yaml.org,2002:str"


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe loader (C parser where available) that builds `Node`s and rejects duplicate keys."""

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML hook
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)  # PyYAML's error
        lines: dict = {}
        for key_node, _ in node.value:
            key = self._construct(key_node)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError("while constructing a mapping", node.start_mark,
                                                        "found unhashable key", key_node.start_mark)
            if key in lines:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {lines[key]})", key_node.start_mark)
            lines[key] = key_node.start_mark.line + 1
        # What SafeConstructor.construct_mapping does, building the Node directly.
        self.flatten_mapping(node)
        mapping = Node()
        for key_node, value_node in node.value:
            mapping[self._construct(key_node)] = self._construct(value_node)
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = lines
        return mapping

    def _construct(self, node):
        """Return a node's value: a string scalar (most of the content) directly, anything else as PyYAML
        constructs it (the same value; PyYAML's generic path costs several calls per scalar)."""
        if node.tag == STR_TAG and type(node) is yaml.ScalarNode:
            return node.value
        return self.construct_object(node, deep=True)


# Dates stay strings: "2024-03-15" must not silently become a datetime.date.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)


@dataclass(frozen=True)
class RawFile:
    """One YAML file as parsed: a mapping of top-level keys to lists of `Node`s."""

    src_path: str
    """Path relative to the content folder's parent, as shown in error messages."""
    data: Node
    is_site: bool = False
    """Whether this is `site.yaml`, the mapping of settings (other files hold lists of records)."""


@dataclass(frozen=True)
class RawPage:
    """One Markdown file as read: slug, language and text."""

    src_path: str
    slug: str
    lang: str
    text: str


@dataclass(frozen=True)
class Skipped:
    """A path of the content folder that is not a file to read (a FIFO, a socket, a dangling link): left out, with
    a warning, so that it neither blocks the build nor hangs it."""

    warning: ContentError


Loaded = RawFile | RawPage | Skipped | ContentError
"""What the load stage gives for each file: its parsed YAML, its Markdown text, why it was skipped, or why it
cannot be used."""


def load_content(content_dir: Path) -> Iterator[Loaded]:
    """Return every YAML and Markdown file under `content_dir`, in path order, read and parsed one at a time as
    stage 2 asks for it: only one file's YAML tree is in memory at once (a tree takes several times the memory
    of the facts read from it). A file that cannot be read or parsed comes as the error that says why, so that
    validation reports it with every other error of the run.
    """
    if not content_dir.is_dir():
        raise ContentErrors([ContentError(str(content_dir), None, "", "content folder not found",
                                          "pass the folder with --content DIR")])
    return (load_path(path, content_dir) for path in content_paths(content_dir))


def content_paths(content_dir: Path) -> list[Path]:
    """Return every path under `content_dir` that is not a folder, hidden, or a README, in path order. Links to
    folders are listed (and refused by `load_path`), never followed."""
    paths = []
    for folder, dirs, files in os.walk(content_dir, followlinks=False):
        links = [name for name in dirs if os.path.islink(os.path.join(folder, name))]
        dirs[:] = sorted(name for name in dirs if not name.startswith(".") and name not in links)
        paths += [Path(folder, name) for name in files + links if not name.startswith(".") and name != "README.md"]
    return sorted(paths)


def load_path(path: Path, content_dir: Path) -> Loaded:
    """Read one path of the content folder, after checking it is a regular file there (links included)."""
    src_path = path.relative_to(content_dir.parent).as_posix()
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.exists():
            return Skipped(ContentError(src_path, None, "", "a link to nothing (dangling link), skipped",
                                        "delete the link or restore what it points to"))
        if not target.is_relative_to(content_dir.resolve()):
            return ContentError(src_path, None, "", f"a link leading outside the content folder (to {target})",
                                "copy the file into the content folder instead of linking to it")
        if target.is_dir():
            return Skipped(ContentError(src_path, None, "", "a link to a folder, not followed",
                                        "move the folder into place instead of linking to it"))
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return ContentError(src_path, None, "", f"cannot read: {exc.strerror}", "check the file's permissions")
    if not stat.S_ISREG(mode):
        return Skipped(ContentError(src_path, None, "", "not a regular file (a FIFO, socket or device), skipped",
                                    "content holds only .yaml and .md files; move it out"))
    return _load_file(path, content_dir)


def _load_file(path: Path, content_dir: Path) -> Loaded:
    """Read one content file."""
    src_path = path.relative_to(content_dir.parent).as_posix()
    if path.suffix not in (".yaml", ".yml", ".md"):
        return ContentError(src_path, None, "", f"unexpected file type {path.suffix!r}",
                            "content holds only .yaml and .md files; move other files out")
    text = _read_text(path, src_path)
    if isinstance(text, ContentError):
        return text
    if path.suffix == ".md":
        parts = path.stem.rsplit(".", 1)
        if len(parts) != 2 or parts[1] not in ("zh", "en"):
            return ContentError(src_path, None, "", "a page needs its language in its name",
                                "name it <slug>.zh.md and <slug>.en.md")
        return RawPage(src_path, parts[0], parts[1], text)
    return _parse_yaml(text, src_path, is_site=path.relative_to(content_dir).as_posix() == "site.yaml")


def _read_text(path: Path, src_path: str) -> str | ContentError:
    """Return the file's text, or why it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ContentError(src_path, None, "", f"cannot read: {exc.strerror}", "check the file's permissions")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return ContentError(src_path, line, "", f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                            "save the file as UTF-8")
    if not text.strip():
        return ContentError(src_path, None, "", "the file is empty", "add content or delete the file")
    return text.removeprefix("\ufeff")


def _parse_yaml(text: str, src_path: str, is_site: bool) -> RawFile | ContentError:
    """Parse YAML text into a `RawFile`, or return the syntax error with its line."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "cannot parse"
        return ContentError(src_path, line, "", f"invalid YAML: {problem}",
                            "check indentation, colons and quotes; quote text containing ': ' or '#'")
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as a raw control byte
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return ContentError(src_path, line, "", f"invalid YAML: the character U+{code:04X} is not allowed",
                            "delete the character (retype the text if it was pasted)")
    except (yaml.YAMLError, RecursionError) as exc:
        return ContentError(src_path, None, "", f"invalid YAML: {type(exc).__name__}",
                            "check the file's structure; anchors and aliases are not needed in content")
    if not isinstance(data, Node):
        return ContentError(src_path, 1, "", "expected a mapping of keys at the top level",
                            f"start the file with one of: {', '.join(LIST_KEYS)}")
    return RawFile(src_path, data, is_site)


def load_sources(sources_dir: Path) -> dict[str, bytes | ContentError]:
    """Read every article text (`*.txt`) in the sources folder: its bytes, or why it cannot be read (link reports
    it with the other errors). Regular files only: a FIFO would hang the build."""
    texts: dict[str, bytes | ContentError] = {}
    for path in sorted(sources_dir.glob("*.txt")):
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                raise OSError(0, "not a regular file")
            texts[path.name] = path.read_bytes()
        except OSError as exc:
            texts[path.name] = ContentError(path.as_posix(), None, "", f"cannot read the article: {exc.strerror or exc}",
                                            "the sources folder holds the articles as plain .txt files")
    return texts


def edition_date(content_dir: Path) -> datetime.date | None:
    """Return the date of this edition of the content: SOURCE_DATE_EPOCH when set (reproducible builds), else the
    date of the last commit touching the content folder, else None. Two builds of one commit agree."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date()
    try:
        found = subprocess.run(["git", "-C", str(content_dir), "log", "-1", "--format=%cs", "--", "."],
                               capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    try:
        return datetime.date.fromisoformat(found.stdout.strip()) if found.returncode == 0 else None
    except ValueError:
        return None
