"""The languages of the site, as data: every page, catalog, sitemap entry and format loops over `LANGUAGES`.

The content model has exactly these two (every text is `{zh, en}`); code that needs a property of a language reads
it here rather than branching on a code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Language:
    """One language the site is written in."""

    code: str
    """The content's key and the site's folder: `zh`, `en`."""
    html_lang: str
    """BCP 47 tag for `lang` and `hreflang`: `zh-Hans`."""
    locale: str
    """Babel locale for numbers and dates: `zh_Hans_CN`."""
    name: str
    """The language's name in itself, as the language switch shows it: 简体中文."""
    short_name: str
    """A short name for the switch on a phone: 中文."""
    og_locale: str
    """Open Graph locale: `zh_CN`."""
    is_source: bool
    """Whether the articles are written in it: pages in another language show quotations with our translation."""
    han: bool
    """Whether it is written in Chinese characters: on pages in other languages, Chinese text is marked as such."""


LANGUAGES: tuple[Language, ...] = (
    Language("zh", "zh-Hans", "zh_Hans_CN", "简体中文", "中文", "zh_CN", is_source=True, han=True),
    Language("en", "en", "en_GB", "English", "English", "en_GB", is_source=False, han=False),
)
"""The site's languages, the articles' language first (it is also the x-default of every page)."""

BY_CODE = {language.code: language for language in LANGUAGES}
SOURCE_LANGUAGE = next(language for language in LANGUAGES if language.is_source)


def language(code: str) -> Language:
    """Return the language with `code`; there is no fallback for an unknown code.

    >>> language("en").html_lang
    'en'
    >>> language("fr")
    Traceback (most recent call last):
    ...
    KeyError: "no language 'fr' (the site has zh, en)"
    """
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"no language {code!r} (the site has {', '.join(BY_CODE)})") from None
