"""Pure rules for chat messages: what a message may contain and how fast a user may send. No ORM, no Redis."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_MESSAGE_CHARS = 1000
# A user may send at most WINDOW_MAX messages per WINDOW_SECONDS, across all their conversations and connections.
WINDOW_SECONDS = 10
WINDOW_MAX = 8

# Control and invisible characters (newlines and tabs are kept: a question may have several lines).
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u206f]")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    text: str = ""
    code: str = ""
    reason: str = ""


def _too_long() -> Verdict:
    return Verdict(
        False, code="too_long", reason=_("Messages are limited to %(count)s characters.") % {"count": MAX_MESSAGE_CHARS}
    )


def check_text(raw) -> Verdict:
    """Accept or refuse a text message; an accepted one comes back normalized (still raw text: pages escape it)."""
    if not isinstance(raw, str):
        return Verdict(False, code="invalid", reason=_("A message must be text."))
    if len(raw) > MAX_MESSAGE_CHARS * 4:
        return _too_long()
    text = _BLANK_LINES.sub("\n\n", _CONTROL.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))).strip()
    if not text:
        return Verdict(False, code="empty", reason=_("Type something before sending."))
    if len(text) > MAX_MESSAGE_CHARS:
        return _too_long()
    return Verdict(True, text=text)


def rate_decision(sent_in_window: int) -> Verdict:
    """``sent_in_window`` counts this message too."""
    if sent_in_window > WINDOW_MAX:
        return Verdict(
            False,
            code="rate_limited",
            reason=_("At most %(count)s messages every %(seconds)s seconds.")
            % {"count": WINDOW_MAX, "seconds": WINDOW_SECONDS},
        )
    return Verdict(True)
