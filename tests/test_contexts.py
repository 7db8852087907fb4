"""Each page kind's context type is its template's contract (Datasette's `test_template_context`): every field is
documented, and every name a template uses — on every branch, rendered or not — is a field of the type it reads."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import types
import typing
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

from conftest import TEMPLATES
from factsheet import contexts, parts
from factsheet.contexts import PlanLine, ProjectTimeline, SeriesBlock
from factsheet.parts import Common, Figure, Head, Note
from factsheet.pages import PAGE_KINDS

MODULES = (contexts, parts)
"""The page contexts and the parts they are made of."""
CONTEXT_TYPES = [obj for module in MODULES for obj in vars(module).values()
                 if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__]

INCLUDES = {
    "_head.html": {"head": Head},
    "_nav.html": {"id": str},
    "_notes.html": {"notes": tuple[Note, ...], "heading": str, "brief": bool},
    "_figures_table.html": {"figures": tuple[Figure, ...], "caption": str, "cap_id": str},
    "_figure_rows.html": {"figures": tuple[Figure, ...], "series": str | None},
}
"""Templates only ever included, with the names their includers set (`{% with %}`)."""
MACROS = {
    "marker": {"number": int}, "value": {"fig": Figure}, "kind": {"fig": Figure},
    "cards": {"figures": tuple[Figure, ...]}, "series_block": {"block": SeriesBlock, "level": int},
    "project_timeline": {"project": ProjectTimeline, "level": int},
    "plans_table": {"lines": tuple[PlanLine, ...], "caption": str, "cap_id": str, "group_id": str},
    "plans_summary": {"plans": contexts.PlansPage}, "plans_groups": {"plans": contexts.PlansPage, "level": int},
}
"""The parameters of the macros in `_macros.html`, by the types their callers pass."""
GLOBALS = {"_", "gettext", "ngettext", "range", "loop", "none", "true", "false", "caller", "super"}
ANY = typing.Any


def test_every_context_field_is_documented():
    """A field's docstring is the string right after it, unless its name says it all (`href`, `title`…)."""
    plain = {"common", "head", "href", "id", "label", "title", "name", "value", "period", "subject", "date", "lang",
             "path", "root", "intro", "quote", "source", "notes", "figures", "series", "sources", "steps", "lines",
             "outlet", "byline", "summary", "topics", "sha256", "year", "status", "status_id", "note", "anchor",
             "current", "items", "number", "kicker", "hreflang", "html_lang", "description", "media", "rows",
             "tables", "units", "zh", "en", "factor", "type", "heading", "csv", "json", "count", "terms", "toc",
             "passages", "backlinks", "letter", "projects", "years", "overview", "themes", "timelines", "plans",
             "target", "outcome", "difference", "headlines", "sections", "counts", "facts", "milestones", "body",
             "citations", "done", "file", "license", "license_url", "icon", "stylesheets", "social", "robots",
             "og_locale", "rank", "scope", "kind", "kind_id", "button", "lead", "titles", "languages", "brand"}
    missing = []
    classes = [n for module in MODULES for n in ast.parse(Path(inspect.getfile(module)).read_text("utf-8")).body
               if isinstance(n, ast.ClassDef)]
    assert len(classes) == len(CONTEXT_TYPES) > 40
    for cls in classes:
        if not (cls.body and isinstance(cls.body[0], ast.Expr)):
            missing.append(f"{cls.name} (class docstring)")
        for i, stmt in enumerate(cls.body):
            if isinstance(stmt, ast.AnnAssign):
                following = cls.body[i + 1] if i + 1 < len(cls.body) else None
                documented = isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                if not documented and stmt.target.id not in plain:
                    missing.append(f"{cls.name}.{stmt.target.id}")
    assert not missing, f"undocumented context fields: {missing}"


def test_contexts_are_hashable():
    """Frozen, with tuples rather than lists or dicts: a context can be compared and cached."""
    for cls in CONTEXT_TYPES:
        assert cls.__dataclass_params__.frozen, cls
        for field in dataclasses.fields(cls):
            text = str(field.type)
            assert "dict[" not in text and "list[" not in text, f"{cls.__name__}.{field.name}: {text}"


def hints(cls) -> dict:
    """Return a context type's fields with their types resolved."""
    return typing.get_type_hints(cls, {**vars(parts), **vars(contexts)})


def unwrap(kind):
    """Drop `None` from `X | None`."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        others = [a for a in typing.get_args(kind) if a is not type(None)]
        return others[0] if len(others) == 1 else ANY
    return kind


def element(kind):
    """Return the element type of `tuple[X, ...]`."""
    kind = unwrap(kind)
    if typing.get_origin(kind) is tuple:
        return typing.get_args(kind)[0]
    return ANY


class Checker:
    """Follows the names of one template through its AST, with the types they stand for."""

    def __init__(self, name: str, scope: dict):
        self.name = name
        self.problems: list[str] = []
        self.macros = set(MACROS)
        self.scope = [dict(scope)]

    def lookup(self, name: str):
        for frame in reversed(self.scope):
            if name in frame:
                return frame[name]
        if name in GLOBALS or name in self.macros:
            return ANY
        self.problems.append(f"{self.name}: unknown name {name!r}")
        return ANY

    def type_of(self, node) -> object:
        """Return the type of an expression, noting any attribute its type lacks."""
        if isinstance(node, nodes.Name):
            return self.lookup(node.name)
        if isinstance(node, nodes.Getattr):
            base = unwrap(self.type_of(node.node))
            if dataclasses.is_dataclass(base):
                fields = hints(base)
                if node.attr in fields:
                    return fields[node.attr]
                if not hasattr(base, node.attr):
                    self.problems.append(f"{self.name}:{node.lineno}: {base.__name__} has no field {node.attr!r}")
            elif base is str and not hasattr(str, node.attr):
                self.problems.append(f"{self.name}:{node.lineno}: text has no attribute {node.attr!r}")
            return ANY
        if isinstance(node, nodes.Getitem):
            base = self.type_of(node.node)
            self.visit(node.arg)
            return element(base)
        for child in node.iter_child_nodes():
            self.visit(child)
        return ANY

    def visit(self, node) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter)
            kind = element(self.type_of(node.iter))
            self.scope.append({})
            self.bind(node.target, kind)
            for child in node.body + node.else_:
                self.visit(child)
            self.scope.pop()
        elif isinstance(node, nodes.With):
            self.scope.append({})
            for target, value in zip(node.targets, node.values):
                self.bind(target, self.type_of(value))
            for child in node.body:
                self.visit(child)
            self.scope.pop()
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.type_of(node.node))
        elif isinstance(node, nodes.Macro):
            self.macros.add(node.name)
            self.scope.append(dict(MACROS.get(node.name, {a.name: ANY for a in node.args})))
            for child in node.body:
                self.visit(child)
            self.scope.pop()
        elif isinstance(node, (nodes.FromImport, nodes.Import)):
            for name in node.names:
                self.macros.add(name if isinstance(name, str) else name[-1])
        elif isinstance(node, nodes.Expr) or isinstance(node, nodes.Node) and not isinstance(node, nodes.Template):
            if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
                self.type_of(node)
            else:
                for child in node.iter_child_nodes():
                    self.visit(child)
        else:
            for child in node.iter_child_nodes():
                self.visit(child)

    def bind(self, target, kind) -> None:
        if isinstance(target, nodes.Name):
            self.scope[-1][target.name] = kind
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY)


def template_scopes() -> dict[str, dict]:
    """Return, for every template, the names it is given and their types."""
    scopes: dict[str, dict] = {}
    for kind in PAGE_KINDS:
        context = typing.get_type_hints(kind.build)["return"]
        scopes[kind.template] = {"page": context} | ({} if kind.per == "root" else {"common": Common})
    scopes["base.html"] = {"common": Common}
    scopes["_macros.html"] = {"common": Common}
    for name, given in INCLUDES.items():
        scopes[name] = given | ({"common": Common} if name != "_head.html" else {})
    return scopes


def test_every_template_is_held_to_a_context():
    """Every template of the folder has a declared context (a page kind, an include or the macros)."""
    html = {p.name for p in TEMPLATES.glob("*.html")}
    assert html == set(template_scopes())


@pytest.mark.parametrize("template", sorted(template_scopes()))
def test_every_name_a_template_uses_is_a_field(template):
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    tree = env.parse((TEMPLATES / template).read_text("utf-8"))
    checker = Checker(template, template_scopes()[template])
    checker.visit(tree)
    assert not checker.problems


def test_the_checker_catches_a_missing_field():
    """A template naming a field its context lacks fails (here, on a branch the content would never render)."""
    env = jinja2.Environment()
    checker = Checker("t", {"common": Common, "page": contexts.ThemePage})
    checker.visit(env.parse("{% if false %}{{ page.theme.title }}{% for s in page.series %}{{ s.row }}{% endfor %}"
                            "{% endif %}{{ common.head.titel }}"))
    assert checker.problems == ["t:1: ThemePage has no field 'theme'", "t:1: SeriesBlock has no field 'row'",
                                "t:1: Head has no field 'titel'"]


@pytest.mark.parametrize(("unit", "difference", "qualifier", "en", "zh"), [
    ("100m_yuan", -200, "exact", "CNY 20 billion less", "少200亿元"),
    ("100m_yuan", -200, "about", "about CNY 20 billion less", "约少200亿元"),
    # nearly Y below a target of X: short by more than X − Y; above it: over by nearly Y − X
    ("100m_yuan", -200, "nearly", "more than CNY 20 billion less", "少200亿元以上"),
    ("100m_yuan", 200, "nearly", "nearly CNY 20 billion more", "多出近200亿元"),
    ("100m_yuan", 0, "nearly", "slightly less", "略少"),
    ("percent", 6.2, "exact", "+6.2 percentage points", "+6.2个百分点"),
    ("percent", -1.5, "nearly", "−1.5 percentage points or more", "−1.5个百分点以上"),
    ("percent", 6.2, "over", None, None),  # an outcome of "over" Y says nothing of how far above
])
def test_a_plans_difference_is_as_exact_as_its_outcome(unit, difference, qualifier, en, zh):
    """The plans page's Difference column: an approximate outcome gives an approximate difference, and "nearly"
    turns a shortfall into "more than" (a result of nearly 180 against a target of 200 is short by more than 20)."""
    from conftest import LOCALE
    from factsheet.plans import _difference
    from factsheet.templating import load_translations

    row = types.SimpleNamespace(difference=difference, outcome=types.SimpleNamespace(qualifier=qualifier),
                                target=types.SimpleNamespace(unit=unit, counter=""))
    for lang, expected in (("en", en), ("zh", zh)):
        view = types.SimpleNamespace(lang=lang, gettext=load_translations(LOCALE, lang)[0].gettext)
        assert _difference(view, row) == expected
