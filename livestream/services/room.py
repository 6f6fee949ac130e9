"""Moderation and what the room's consumer calls: chat, likes, presence and watch time, the batched figures."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db import connection as database
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from livestream import chat_rules, realtime
from livestream.models import (
    MetricSample,
    Mute,
    Stream,
    ViewerSession,
)
from livestream.services.common import (
    HEARTBEAT_CREDIT_CAP,
    LIKE_FLUSH_MS,
    broadcast,
    is_id,
)
from livestream.services.hosts import managed_streams
from marketplace.api import DomainError

# -- moderation ---------------------------------------------------------------------------------------------------


def mute(stream: Stream, user_id: int, *, by, reason: str = "") -> Mute:
    from accounts.models import User

    target = User.objects.filter(pk=user_id).first() if is_id(user_id) else None
    if target is None:
        raise DomainError(_("No such viewer."), code="no_user", status_code=404)
    if target.pk == by.pk:
        raise DomainError(_("You cannot mute yourself."), code="self_mute")
    try:
        with transaction.atomic():
            muted = Mute.objects.create(stream=stream, user=target, muted_by=by, reason=(reason or "")[:200])
    except IntegrityError:
        muted = Mute.objects.get(stream=stream, user=target)
    is_muted(stream.pk, target.pk)  # make sure the set is loaded before adding to it
    realtime.set_muted(stream.pk, target.pk, True)
    realtime.forget_user_messages(stream.pk, target.pk)
    broadcast(stream.pk, {"type": "muted", "user_id": target.pk})
    return muted


def unmute(stream: Stream, user_id: int) -> None:
    Mute.objects.filter(stream=stream, user_id=user_id).delete()
    if is_id(user_id):
        realtime.set_muted(stream.pk, user_id, False)
    broadcast(stream.pk, {"type": "unmuted", "user_id": user_id})


def is_muted(stream_id: int, user_id: int) -> bool:
    """Answered from Redis; the set is loaded from the database the first time (or after Redis lost it)."""
    if not realtime.mutes_loaded(stream_id):
        realtime.load_mutes(stream_id, Mute.objects.filter(stream_id=stream_id).values_list("user_id", flat=True))
    return realtime.is_muted(stream_id, user_id)


# -- the room (called by the consumer) ----------------------------------------------------------------------------


def room_stream(stream_id: int) -> Stream | None:
    return Stream.objects.select_related("store", "creator").filter(pk=stream_id).first()


def is_host(user, stream_id: int) -> bool:
    """Whether the connection belongs to someone who runs the stream (their console is not an audience member)."""
    return managed_streams(user).filter(pk=stream_id).exists()


def room_state(stream_id: int) -> str | None:
    """The stream's state for the room's hot paths: Redis first, the database when Redis does not know it."""
    state = realtime.cached_state(stream_id)
    if state is None:
        state = Stream.objects.filter(pk=stream_id).values_list("state", flat=True).first()
        if state is not None:
            realtime.cache_state(stream_id, state)
    return state


def post_chat(stream_id: int, user, raw, *, is_host: bool = False) -> dict:
    """Validate and record a chat message; returns the event to broadcast. Raises DomainError when refused.
    The host's messages are marked so the room can badge them."""
    if not user or not user.is_authenticated:
        raise DomainError(_("Log in to chat."), code="login_required")
    if room_state(stream_id) != Stream.State.LIVE:
        raise DomainError(_("Chat is open while the stream is live."), code="not_live")
    verdict = chat_rules.check_message(raw)
    if not verdict.ok:
        raise DomainError(verdict.reason, code=verdict.code)
    if is_muted(stream_id, user.pk):
        raise DomainError(_("The host has muted you in this stream."), code="muted")
    rate = realtime.rate_check(stream_id, user.pk)
    if not rate.ok:
        raise DomainError(rate.reason, code=rate.code)
    message = {
        "type": "chat",
        "user_id": user.pk,
        "user": str(user)[:40],
        "text": verdict.text,
        "host": bool(is_host),
        "at": timezone.now().isoformat(),
    }
    realtime.remember_message(stream_id, message)
    return message


def check_like(user, raw_count, *, state: str | None) -> int:
    """The taps one like message carries, or DomainError: no I/O, so the room answers a tap without a thread hop.
    ``state`` is the stream's state as the viewer's connection knows it (from its hello and state events)."""
    if not user or not user.is_authenticated:
        raise DomainError(_("Log in to like."), code="login_required")
    count = chat_rules.like_count(raw_count)
    if count is None:
        raise DomainError(
            _("A like carries 1 to %(max)s taps.") % {"max": chat_rules.MAX_LIKES_PER_MESSAGE}, code="invalid_like"
        )
    if state != Stream.State.LIVE:
        raise DomainError(_("Likes are counted while the stream is live."), code="not_live")
    return count


def add_likes(stream_id: int, count: int) -> bool:
    """Count a batch of checked taps (a server process sums its viewers' taps before writing); True when this caller
    should schedule the batched figures broadcast. Taps that arrive after the stream ended are not counted."""
    if count <= 0 or room_state(stream_id) != Stream.State.LIVE:
        return False
    realtime.add_likes(stream_id, count)
    return realtime.claim_flush(stream_id, "figures", LIKE_FLUSH_MS)


def like(stream_id: int, user, raw_count) -> bool:
    """One viewer's taps checked and counted at once (without batching)."""
    return add_likes(stream_id, check_like(user, raw_count, state=room_state(stream_id)))


def viewer_key(user, session_key: str | None, connection: str) -> str:
    if user and user.is_authenticated:
        return f"u{user.pk}"
    if session_key:
        return f"s{session_key}"[:64]
    return f"c{connection}"[-64:]


def record_presence(stream_id: int, *, connection: str, key: str, user) -> int:
    """A viewer connected or sent a heartbeat: keep presence, unique viewer, watch time and the peak current."""
    user_id = user.pk if user and user.is_authenticated else None
    return record_heartbeats(stream_id, [(connection, key, user_id)])


# A viewer's first heartbeat of a batch opens their session; a later one credits the seconds since the last
# (at most HEARTBEAT_CREDIT_CAP), so two tabs or a stalled client never inflate watch time.
HEARTBEATS_SQL = """
INSERT INTO {table} AS s (stream_id, viewer_key, user_id, first_seen, last_seen, watch_seconds)
SELECT %(stream)s, beats.viewer_key, beats.user_id, %(now)s, %(now)s, 0
FROM UNNEST(%(keys)s::varchar[], %(users)s::bigint[]) AS beats(viewer_key, user_id)
ON CONFLICT (stream_id, viewer_key) DO UPDATE SET
    last_seen = EXCLUDED.last_seen,
    watch_seconds = s.watch_seconds
        + LEAST(GREATEST(FLOOR(EXTRACT(EPOCH FROM EXCLUDED.last_seen - s.last_seen)), 0), %(cap)s)::integer
"""


def record_heartbeats(stream_id: int, beats) -> int:
    """The heartbeats a server process gathered for one stream, ``(connection, viewer key, user id)`` each, in one
    Redis round trip and one statement (a room of 1,000 heartbeats ~100 times a second, in bursts); returns how
    many connections are watching."""
    beats = list(beats)
    if not beats:
        return realtime.watching(stream_id)
    count = realtime.touch_many(stream_id, [connection for connection, _key, _user in beats])
    realtime.raise_peak(stream_id, count)
    users = {key: user_id for _connection, key, user_id in beats}  # two tabs of one viewer: one session
    with database.cursor() as cursor:
        cursor.execute(
            HEARTBEATS_SQL.format(table=ViewerSession._meta.db_table),
            {"stream": stream_id, "now": timezone.now(), "keys": list(users), "users": list(users.values()),
             "cap": HEARTBEAT_CREDIT_CAP},
        )  # fmt: skip
    return count


def record_leave(stream_id: int, *, connection: str, key: str) -> int:
    """Credit the time since the last heartbeat and drop the connection from the live count."""
    now = timezone.now()
    session = ViewerSession.objects.filter(stream_id=stream_id, viewer_key=key).first()
    if session is not None:
        credit = min(max(int((now - session.last_seen).total_seconds()), 0), HEARTBEAT_CREDIT_CAP)
        ViewerSession.objects.filter(pk=session.pk, last_seen=session.last_seen).update(
            last_seen=now, watch_seconds=F("watch_seconds") + credit
        )
    return realtime.leave(stream_id, connection)


def flush_figures(stream_id: int) -> dict:
    """Persist the live figures (peak, likes) and this minute's sample; returns what viewers are shown."""
    viewers = realtime.watching(stream_id)
    likes_total = realtime.likes(stream_id)
    if room_state(stream_id) != Stream.State.LIVE:  # viewers leaving an ended stream change no figures
        return {"viewers": viewers, "likes": likes_total}
    peak = realtime.raise_peak(stream_id, viewers)
    Stream.objects.filter(pk=stream_id, peak_viewers__lt=peak).update(peak_viewers=peak)
    Stream.objects.filter(pk=stream_id, like_count__lt=likes_total).update(like_count=likes_total)
    minute = timezone.now().replace(second=0, microsecond=0)
    sample, _created = MetricSample.objects.get_or_create(stream_id=stream_id, minute=minute)
    MetricSample.objects.filter(pk=sample.pk).update(
        viewers=Greatest("viewers", viewers), likes=likes_total, messages=realtime.message_count(stream_id)
    )
    return {"viewers": viewers, "likes": likes_total}
