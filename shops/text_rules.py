"""What a store's name and description may contain (pure rules, no I/O): shoppers read them everywhere, so no
control characters, a sensible length, and a name that says something (not only punctuation or symbols)."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

NAME_MIN_LENGTH = 1
NAME_MAX_LENGTH = 60
DESCRIPTION_MAX_LENGTH = 2000
# Line breaks and tabs are how a description is laid out; every other control or format character is refused
# (NUL, escape sequences, bidirectional overrides that disguise a name).
LAYOUT_CHARACTERS = {"\n", "\r", "\t"}


def has_control_characters(text: str, allowed: set[str] = frozenset()) -> bool:
    return any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} and ch not in allowed for ch in text)


def says_something(text: str) -> bool:
    """At least one letter or digit (any script): "!!!", "---" or "★★★" is not a name."""
    return any(unicodedata.category(ch)[0] in {"L", "N"} for ch in text)


def store_name_problem(name: str) -> str | None:
    """Why a store name is refused, or None when it is fine."""
    name = (name or "").strip()
    if not name:
        return _("A store needs a name.")
    if has_control_characters(name):
        return _("A store name cannot contain control characters.")
    if len(name) < NAME_MIN_LENGTH or len(name) > NAME_MAX_LENGTH:
        return _("A store name has %(min)d to %(max)d characters.") % {"min": NAME_MIN_LENGTH, "max": NAME_MAX_LENGTH}
    if not says_something(name):
        return _("A store name needs letters or digits, not only punctuation or symbols.")
    return None


def store_description_problem(description: str) -> str | None:
    description = description or ""
    if has_control_characters(description, LAYOUT_CHARACTERS):
        return _("A store description cannot contain control characters.")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        return _("A store description has at most %(max)d characters.") % {"max": DESCRIPTION_MAX_LENGTH}
    return None
