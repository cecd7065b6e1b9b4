"""Every word qualsite publishes, in the site's language.

Messages are marked in the code as gettext expects, so that Babel's
extractor finds them (``make messages`` writes ``locale/qualsite.pot``)::

    from ..i18n import _, ngettext, N_

    _("Excerpts")
    ngettext("%(num)d excerpt", "%(num)d excerpts", count) % {"num": count}

and in templates with Jinja's i18n extension: ``{{ _("Excerpts") }}``,
``{{ ngettext("%(num)d excerpt", "%(num)d excerpts", n) }}``. ``N_`` marks a
message kept in a constant, translated where it is used.

A build activates its language once (:func:`activate`) before it renders
anything, in each process that renders (the exports' worker too). The
active language is process-wide on purpose: pages are drawn from MkDocs'
hooks, and threads of one build share one language.

Only what is published is translated: the messages qualsite prints to the
researcher (errors, warnings, the command line) stay in English, like
MkDocs' own log.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date, format_skeleton

from .catalogues import (
    DOMAIN,
    SHIPPED_LANGUAGES,
    SiteLanguage,
    english,
    load_language,
    parse_language,
    shipped_catalogue,
    template_path,
)

__all__ = [
    "DOMAIN",
    "N_",
    "SHIPPED_LANGUAGES",
    "SiteLanguage",
    "_",
    "activate",
    "active",
    "english",
    "load_language",
    "long_date",
    "month_year",
    "ngettext",
    "npgettext",
    "parse_language",
    "pgettext",
    "shipped_catalogue",
    "template_path",
]

_active: SiteLanguage = english()


def activate(language: SiteLanguage) -> SiteLanguage:
    """Make ``language`` the one every message is written in; returns the
    one it replaces (so that a test can put it back)."""
    global _active
    previous, _active = _active, language
    return previous


def active() -> SiteLanguage:
    return _active


def _(message: str) -> str:
    """``message`` in the site's language."""
    return _active.translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that goes with ``count``, by the language's
    plural rules (Polish has three; the catalogue says which applies)."""
    return _active.translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` where the same English word needs different translations
    ("Table" of a page title and "Table" in a caption, say)."""
    return _active.translations.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, count: int) -> str:
    return _active.translations.npgettext(context, singular, plural, count)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it yet (for
    constants made at import time, before a build picks its language)."""
    return message


def long_date(day: str | date) -> str:
    """A day in words, as the site's language writes it: "12 March 2024",
    "12. März 2024", "12 mars 2024"."""
    when = date.fromisoformat(day) if isinstance(day, str) else day
    return format_date(when, format="long", locale=_active.locale)


def month_year(day: str | date) -> str:
    """The month of a day: "March 2024", "März 2024"."""
    when = date.fromisoformat(day) if isinstance(day, str) else day
    return format_skeleton("yMMMM", when, locale=_active.locale)
