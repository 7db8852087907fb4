"""The UI-string catalogs: up to date with the code and templates, and complete in both languages.

A build warns about each UI string a page asked for and its catalog lacks (render.CheckedTranslations); these
tests also cover the strings of branches the real content never reaches, such as the conflict flag.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import build

ROOT = build.ROOT
METHODS = [("factsheet/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "gettext": None, "N_": None}


def extracted() -> set[str]:
    """Every UI string marked in the package and the templates, as `pybabel extract` (README) finds them."""
    found = extract_from_dir(ROOT, METHODS, OPTIONS, keywords=KEYWORDS)
    return {m if isinstance(m, str) else m[0] for _, _, m, *_ in found}


def catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_template_is_up_to_date():
    """locale/messages.pot holds exactly the strings the code and templates mark (re-run pybabel extract if not)."""
    pot = {m.id for m in catalog(ROOT / "locale" / "messages.pot") if m.id}
    assert extracted() == pot


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_string_is_translated(lang):
    po = catalog(ROOT / "locale" / lang / "LC_MESSAGES" / "messages.po")
    untranslated = sorted(m.id for m in po if m.id and (not m.string or m.fuzzy))
    assert untranslated == []
    pot = {m.id for m in catalog(ROOT / "locale" / "messages.pot") if m.id}
    assert pot <= {m.id for m in po if m.id}


def test_no_marked_string_is_hidden_in_an_f_string():
    """pybabel cannot see a gettext call inside an f-string: such a string went untranslated on Chinese pages once."""
    hidden = []
    for path in sorted((ROOT / "factsheet").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                            and inner.func.id in KEYWORDS):
                        hidden.append(f"{path.name}:{inner.lineno}")
    assert hidden == []
