"""Stage 1: read the content folder — YAML and Markdown — keeping each item's file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import ContentError, ContentErrors

LIST_KEYS = ("sources", "themes", "scopes", "terms", "indicators", "projects", "milestones",
             "facts", "plans")
"""Top-level keys a content YAML file may hold; `site.yaml` is the one mapping of settings."""


class Node(dict):
    """A YAML mapping that remembers the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe loader (C parser where available) that builds `Node`s and rejects duplicate keys."""

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML hook
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        # What SafeConstructor.construct_mapping does, building the Node directly: a quarter faster to load.
        self.flatten_mapping(node)
        mapping = Node()
        for key_node, value_node in node.value:
            mapping[self.construct_object(key_node, deep=True)] = self.construct_object(value_node, deep=True)
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = seen
        return mapping


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


@dataclass(frozen=True)
class RawPage:
    """One Markdown file as read: slug, language and text."""

    src_path: str
    slug: str
    lang: str
    text: str


@dataclass(frozen=True)
class RawContent:
    """Everything read from the content folder, not yet checked."""

    site: RawFile | None
    files: tuple[RawFile, ...]
    pages: tuple[RawPage, ...]


def load_content(content_dir: Path) -> RawContent:
    """Read every YAML and Markdown file under `content_dir`; raise all read errors together."""
    errors: list[ContentError] = []
    base = content_dir.parent
    site: RawFile | None = None
    files: list[RawFile] = []
    pages: list[RawPage] = []
    if not content_dir.is_dir():
        raise ContentErrors([ContentError(str(content_dir), None, "", "content folder not found",
                                          "pass the folder with --content DIR")])
    for path in sorted(content_dir.rglob("*")):
        if path.is_dir() or path.name.startswith(".") or path.name == "README.md":
            continue
        src_path = path.relative_to(base).as_posix()
        text = _read_text(path, src_path, errors)
        if text is None:
            continue
        if path.suffix in (".yaml", ".yml"):
            raw = _parse_yaml(text, src_path, errors)
            if raw is None:
                continue
            if path.relative_to(content_dir).as_posix() == "site.yaml":
                site = raw
            else:
                files.append(raw)
        elif path.suffix == ".md":
            parts = path.stem.rsplit(".", 1)
            if len(parts) != 2 or parts[1] not in ("zh", "en"):
                errors.append(ContentError(src_path, None, "", "a page needs its language in its name",
                                           "name it <slug>.zh.md and <slug>.en.md"))
                continue
            pages.append(RawPage(src_path, parts[0], parts[1], text))
        else:
            errors.append(ContentError(src_path, None, "", f"unexpected file type {path.suffix!r}",
                                       "content holds only .yaml and .md files; move other files out"))
    if errors:
        raise ContentErrors(errors)
    return RawContent(site, tuple(files), tuple(pages))


def _read_text(path: Path, src_path: str, errors: list[ContentError]) -> str | None:
    """Return the file's text, or record why it cannot be used."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.append(ContentError(src_path, line, "", f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                                   "save the file as UTF-8"))
        return None
    if not text.strip():
        errors.append(ContentError(src_path, None, "", "the file is empty",
                                   "add content or delete the file"))
        return None
    return text.removeprefix("\ufeff")


def _parse_yaml(text: str, src_path: str, errors: list[ContentError]) -> RawFile | None:
    """Parse YAML text into a `RawFile`, or record the syntax error with its line."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "cannot parse"
        errors.append(ContentError(src_path, line, "", f"invalid YAML: {problem}",
                                   "check indentation, colons and quotes; quote text containing ': ' or '#'"))
        return None
    if not isinstance(data, Node):
        errors.append(ContentError(src_path, 1, "", "expected a mapping of keys at the top level",
                                   f"start the file with one of: {', '.join(LIST_KEYS)}"))
        return None
    return RawFile(src_path, data)
