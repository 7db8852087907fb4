"""Jinja and the catalogs: the environment every page is rendered in, the UI strings of each language, and the
templates' errors located by file and line.
"""

from __future__ import annotations

import io
import json
import re
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path

import babel
import jinja2
from babel.support import Translations
from markupsafe import Markup

from . import speed
from .model import ContentError, ContentErrors


def N_(message: str) -> str:
    """Mark a UI string for extraction; it is translated when rendered."""
    return message


LABELS = {
    "result": N_("Result"), "target": N_("Target"), "as_of": N_("Total as of"),
    "met": N_("Met"), "missed": N_("Missed"), "partly": N_("Partly met"),
    "probably_missed": N_("Probably missed"), "not_comparable": N_("Not comparable"), "no_report": N_("No later report"),
    "signed": N_("Signed"), "started": N_("Construction started"), "topped_out": N_("Topped out"),
    "delivered": N_("Delivered"), "completed": N_("Completed"), "opened": N_("Opened"),
    "operating": N_("In operation"), "approved": N_("Approved"), "launched": N_("Launched"),
    "other": N_("Other"), "done": N_("Done"), "planned": N_("Planned"),
}
"""The name of each vocabulary word (kinds, statuses, events), as a UI string."""

Body = Iterable[bytes]
"""A file's content as blocks of bytes, made as they are asked for: a page is written while it is rendered."""


def inline_json(data) -> Markup:
    """Serialise data as JSON to put inside a <script> element: `<`, `>` and `&` escaped as \\u003c, \\u003e and
    \\u0026, so that no text (`</script>`, `<!--`) can end or change the element, and the JSON stays valid.

    >>> inline_json({"a": "</script><!--<script>&"})
    Markup('{"a": "\\\\u003c/script\\\\u003e\\\\u003c!--\\\\u003cscript\\\\u003e\\\\u0026"}')
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def make_env(templates_dir: Path, translations: Translations,
             compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Create a Jinja environment for one language."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir), undefined=jinja2.StrictUndefined,
                             autoescape=True, extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, bytecode_cache=compiled)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


class CheckedTranslations(Translations):
    """A language's catalog that notes every UI string it is asked for and does not translate.

    Every page is rendered in both languages, so the strings noted are exactly those a reader would see
    untranslated; `tests/test_catalogs.py` checks the strings of branches the content does not reach.
    """

    def __init__(self, fp=None) -> None:
        super().__init__(fp)
        self.missing: set[str] = set()

    def gettext(self, message: str) -> str:
        """Translate `message`, noting it if the catalog lacks it."""
        if message not in self._catalog:
            self.missing.add(message)
        return super().gettext(message)


def load_translations(locale_dir: Path, lang: str) -> tuple[CheckedTranslations, Path]:
    """Read a language's catalog from its .po file (empty and fuzzy entries count as missing), compiled once per
    version of the file (`speed.compiled_once`)."""
    po_path = locale_dir / lang / "LC_MESSAGES" / "messages.po"
    try:
        source = po_path.read_bytes()
    except OSError as exc:
        raise _unreadable(po_path, lang, None, exc) from None
    return speed.compiled_once("catalogs", lang, source, lambda po: _compiled(po, po_path, lang),
                               f"Babel {babel.__version__}", lambda mo: CheckedTranslations(io.BytesIO(mo))), po_path


def _compiled(po: bytes, po_path: Path, lang: str) -> bytes:
    """Return the .mo file made from a .po file's bytes (Babel's reader imported only here: it is 8 ms of imports)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    try:
        catalog = read_po(io.BytesIO(po), locale=lang, abort_invalid=True)
    except (ValueError, PoFileError) as exc:  # Babel counts lines from 0
        raise _unreadable(po_path, lang, exc.lineno + 1 if isinstance(exc, PoFileError) else None, exc) from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _unreadable(po_path: Path, lang: str, line: int | None, exc: Exception) -> ContentErrors:
    """The error of a catalog that cannot be read."""
    reason = re.sub(r" on \d+$", "", str(exc))
    return ContentErrors([ContentError(po_path.as_posix(), line, "", f"cannot read the {lang} catalog: {reason}",
                                       "restore it from git, or run pybabel update (see README)")])


def missing_translations(translations: CheckedTranslations, po_path: Path, lang: str) -> list[ContentError]:
    """Return a warning for each UI string a rendered page asked `translations` for and it lacked."""
    return [ContentError(po_path.as_posix(), None, "msgid", f"UI string {message!r} has no {lang} translation",
                         "run pybabel extract and update (see README), then translate it")
            for message in sorted(translations.missing)]


def template_error(exc: jinja2.TemplateError, templates_dir: Path) -> ContentError:
    """Locate a template's error by file and line: a syntax error knows its place; an error while rendering (an
    undefined name) is found in the traceback, which Jinja rewrites to point into the template."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return ContentError((templates_dir / (exc.name or exc.filename or "?")).as_posix(), exc.lineno, "",
                            f"template syntax error: {exc.message}", "fix the template (Jinja syntax)")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(str(templates_dir))]
    where = frames[-1] if frames else None
    message = _MISSING_FIELD.sub(r"\1 has no field '\2'", str(exc))
    return ContentError(where.filename if where else templates_dir.as_posix(), where.lineno if where else None, "",
                        f"template error: {message}", "every name a template uses must be a field of its context")


_MISSING_FIELD = re.compile(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'")
"""Jinja's wording for a missing field, naming the context type by its module path."""


def guarded(files: Iterator[tuple[str, Body]], templates_dir: Path) -> Iterator[tuple[str, Body]]:
    """Pass files through, turning a template's error while making them into a located `ContentErrors`."""
    def body(blocks: Body) -> Body:
        try:
            yield from blocks
        except jinja2.TemplateError as exc:
            raise ContentErrors([template_error(exc, templates_dir)]) from None
    try:
        for name, blocks in files:
            yield name, body(blocks)
    except jinja2.TemplateError as exc:
        raise ContentErrors([template_error(exc, templates_dir)]) from None


