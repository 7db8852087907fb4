"""The pinyin table the Chinese A–Z index sorts by agrees with pypinyin, and covers the content's subjects."""

from __future__ import annotations

import os

import pytest

from conftest import CONTENT
from factsheet.load import load_content
from factsheet.pinyin import pinyin, readings
from factsheet.validate import validate

try:
    import pypinyin
except ImportError:  # the test extra installs it; CI must have it
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("pypinyin is not installed (pip install -e '.[test]')", allow_module_level=True)


def test_table_agrees_with_pypinyin():
    table = readings()
    assert len(table) == 6763, "every character of GB 2312"
    wrong = [c for c, syllable in table.items() if pypinyin.lazy_pinyin(c, style=pypinyin.Style.NORMAL)[0] != syllable]
    assert not wrong, wrong[:20]


def test_every_chinese_subject_starts_with_a_character_of_the_table():
    site = validate(load_content(CONTENT))
    first = {f.subject.zh.lstrip("“”\"《（(")[:1] for f in site.facts}
    missing = sorted(c for c in first if "\u3400" <= c <= "\u9fff" and c not in readings())
    assert not missing, f"add these to the table (tests/update_pinyin.py): {missing}"


def test_pinyin_of_a_text():
    assert pinyin("崂山区高新技术企业") == "lao shan qu gao xin ji shu qi ye"
    assert pinyin("“四新”经济") == "“ si xin ” jing ji"
