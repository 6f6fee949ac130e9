"""Pure chat rules of the live room: what a message may contain, how often a viewer may speak. No ORM, no Redis
(only gettext for the messages).

The consumer asks ``check_message`` before anything is broadcast; the rate limit numbers are applied by
livestream.realtime with Redis counters so they hold across every web process.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_MESSAGE_CHARS = 200
# A viewer may send one message per MIN_INTERVAL_MS and at most WINDOW_MAX messages per WINDOW_SECONDS.
MIN_INTERVAL_MS = 1000
WINDOW_SECONDS = 30
WINDOW_MAX = 10
MAX_LIKES_PER_MESSAGE = 20

# Words the room never shows (platform list; a real deployment loads its moderation list here).
BANNED_WORDS = (
    "加微信",
    "加vx",
    "私聊下单",
    "刷单",
    "赌博",
    "代开发票",
    "scam",
    "fuck",
    "wechat me",
)

_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u206f]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    text: str = ""
    code: str = ""
    reason: str = ""


def normalize(text: str) -> str:
    """What the room shows: no control or zero-width characters, single spaces. Chinese punctuation (，？) stays."""
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _squeezed(text: str) -> str:
    """For matching only: NFKC (full-width letters become ASCII), lower-case, no spaces or punctuation, so "加 微 信",
    "Ｓ.Ｃ.Ａ.Ｍ" or "s c a m" still match."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def banned_word_in(text: str, banned: tuple[str, ...] = BANNED_WORDS) -> str | None:
    squeezed = _squeezed(text)
    for word in banned:
        if _squeezed(word) and _squeezed(word) in squeezed:
            return word
    return None


def check_message(raw, *, banned: tuple[str, ...] = BANNED_WORDS, max_chars: int = MAX_MESSAGE_CHARS) -> Verdict:
    """Accept or refuse one chat message; an accepted message comes back normalized."""
    if not isinstance(raw, str):
        return Verdict(False, code="invalid", reason=_("A message must be text."))
    if len(raw) > max_chars * 4:  # refuse absurd payloads before normalizing them
        return Verdict(
            False, code="too_long", reason=_("Messages are limited to %(count)s characters.") % {"count": max_chars}
        )
    text = normalize(raw)
    if not text:
        return Verdict(False, code="empty", reason=_("Type something before sending."))
    if len(text) > max_chars:
        return Verdict(
            False, code="too_long", reason=_("Messages are limited to %(count)s characters.") % {"count": max_chars}
        )
    if banned_word_in(text, banned):
        return Verdict(False, code="banned_word", reason=_("This message contains words that are not allowed here."))
    return Verdict(True, text=text)


def like_count(raw) -> int | None:
    """A like event carries 1..MAX_LIKES_PER_MESSAGE taps (clients batch rapid taps); anything else is refused."""
    if raw is None:
        return 1
    if isinstance(raw, bool) or not isinstance(raw, int):
        return None
    return raw if 1 <= raw <= MAX_LIKES_PER_MESSAGE else None


def rate_decision(*, since_last_ms: int | None, sent_in_window: int) -> Verdict:
    """Given the viewer's history, may they send one more message now?"""
    if since_last_ms is not None and since_last_ms < MIN_INTERVAL_MS:
        return Verdict(False, code="too_fast", reason=_("You are sending messages too quickly."))
    if sent_in_window >= WINDOW_MAX:
        return Verdict(
            False,
            code="rate_limited",
            reason=_("At most %(count)s messages every %(seconds)s seconds.")
            % {"count": WINDOW_MAX, "seconds": WINDOW_SECONDS},
        )
    return Verdict(True)
