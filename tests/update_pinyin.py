#!/usr/bin/env python3
"""Write factsheet/pinyin.py: the pinyin of every character of GB 2312 (6,763 characters), for sorting Chinese.

    pip install pypinyin && python tests/update_pinyin.py

The table is data made by pypinyin (a test dependency, not a build one: importing it takes a seventh of a second,
more than half the time the whole build may take). `tests/test_pinyin.py` checks the table still agrees with it.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pypinyin import Style, lazy_pinyin

TARGET = Path(__file__).resolve().parent.parent / "factsheet" / "pinyin.py"


def gb2312() -> list[str]:
    """Return the characters of GB 2312, in its order."""
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes([high, low]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            chars.append(char)
    return chars


def table() -> dict[str, str]:
    """Return syllable → the characters read with it (the most common reading of each)."""
    by_syllable: dict[str, list[str]] = defaultdict(list)
    for char in gb2312():
        by_syllable[lazy_pinyin(char, style=Style.NORMAL)[0]].append(char)
    return {syllable: "".join(chars) for syllable, chars in sorted(by_syllable.items())}


def main() -> None:
    """Write the module."""
    lines = "\n".join(f"{syllable} {chars}" for syllable, chars in table().items())
    TARGET.write_text(f'''"""The pinyin of every character of GB 2312, to sort Chinese the way an index does (made by tests/update_pinyin.py
from pypinyin; each character under its most common reading).
"""

from __future__ import annotations

from functools import cache

TABLE = """
{lines}
"""
"""One line per syllable: the syllable, a space, the characters read with it."""


@cache
def readings() -> dict[str, str]:
    """Return character → syllable, read from the table once."""
    found = {{}}
    for line in TABLE.split("\\n"):
        if line:
            syllable, chars = line.split(" ")
            found.update(dict.fromkeys(chars, syllable))
    return found


def pinyin(text: str) -> str:
    """Return a text's pinyin, syllables separated by spaces; characters outside the table are kept as they are.

    >>> pinyin("崂山区GDP")
    'lao shan qu GDP'
    """
    table = readings()
    out = []
    for char in text:
        syllable = table.get(char)
        if syllable:
            out.append(f" {{syllable}} ")
        else:
            out.append(char)
    return " ".join("".join(out).split())
''', "utf-8")
    print(f"wrote {TARGET} ({len(lines)} characters of table)")


if __name__ == "__main__":
    main()
