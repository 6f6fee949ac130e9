"""A stream's lifecycle: create, edit, go live, end, delete. Its featured products and live prices are
livestream.services.featured, its coupon drops livestream.services.drops."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from livestream import realtime
from livestream.lock_objects import locked_stream
from livestream.models import Creator, Stream
from livestream.services.common import broadcast
from livestream.services.drops import close_coupon_drops
from livestream.services.featured import drop_live_price, set_live_prices_open
from marketplace.api import DomainError
from shops.models import Store
from shops.permissions import Capability, can


def create_stream(
    *,
    by,
    title: str,
    scheduled_at: datetime.datetime,
    store: Store | None = None,
    creator: Creator | None = None,
    description: str = "",
    playback_url: str = "",
    cover=None,
) -> Stream:
    if (store is None) == (creator is None):
        raise DomainError(_("A stream is hosted by one store or one creator."), code="host_required")
    if store is not None and not can(by, store, Capability.MANAGE_LIVESTREAM):
        raise Http404("No such store.")
    if creator is not None and (creator.user_id != by.pk or not creator.is_active):
        raise Http404("No such creator.")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("A stream needs a title."), code="title_required")
    if scheduled_at is None:
        raise DomainError(_("Choose when the stream starts."), code="schedule_required")
    stream = Stream(
        title=title[:120],
        description=(description or "").strip(),
        host_kind=Stream.HostKind.STORE if store else Stream.HostKind.CREATOR,
        store=store,
        creator=creator,
        scheduled_at=scheduled_at,
        playback_url=_clean_url(playback_url),
        created_by=by,
    )
    if cover:
        stream.cover = cover
    stream.save()
    return stream


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    if url and not (url.startswith(("https://", "http://", "/"))):
        raise DomainError(_("The playback URL must be an http(s) URL or a path on this site."), code="invalid_url")
    if len(url) > 500:
        raise DomainError(_("The playback URL is too long."), code="invalid_url")
    return url


def update_stream(stream: Stream, *, title=None, description=None, scheduled_at=None, playback_url=None, cover=None):
    with transaction.atomic():
        stream = locked_stream(stream)
        if stream.is_ended:
            raise DomainError(_("An ended stream cannot be edited."), code="stream_ended")
        if title is not None:
            if not title.strip():
                raise DomainError(_("A stream needs a title."), code="title_required")
            stream.title = title.strip()[:120]
        if description is not None:
            stream.description = description.strip()
        if scheduled_at is not None:
            if stream.is_live:
                raise DomainError(_("A live stream cannot be rescheduled."), code="stream_live")
            stream.scheduled_at = scheduled_at
        if playback_url is not None:
            stream.playback_url = _clean_url(playback_url)
        if cover:
            stream.cover = cover
        stream.save()
    return stream


def go_live(stream: Stream, *, by) -> Stream:
    with transaction.atomic():
        stream = locked_stream(stream)
        if stream.state != Stream.State.SCHEDULED:
            raise DomainError(_("Only a scheduled stream can go live."), code="not_scheduled")
        if not stream.playback_url:
            raise DomainError(_("Set the playback URL before going live."), code="playback_url_required")
        stream.state = Stream.State.LIVE
        stream.started_at = timezone.now()
        stream.save(update_fields=["state", "started_at"])
        set_live_prices_open(stream, True)
        transaction.on_commit(lambda: realtime.cache_state(stream.pk, Stream.State.LIVE))
        broadcast(stream.pk, {"type": "state", "state": stream.state})
    realtime.seed_likes(stream.pk, stream.like_count)
    return stream


def end_stream(stream: Stream, *, by, replay_url: str | None = None) -> Stream:
    with transaction.atomic():
        stream = locked_stream(stream)
        if stream.state != Stream.State.LIVE:
            raise DomainError(_("Only a live stream can be ended."), code="not_live")
        stream.state = Stream.State.ENDED
        stream.ended_at = timezone.now()
        stream.replay_url = _clean_url(replay_url) if replay_url else stream.replay_url or stream.playback_url
        stream.pinned = None
        stream.like_count = max(stream.like_count, realtime.likes(stream.pk))
        stream.peak_viewers = max(stream.peak_viewers, realtime.peak(stream.pk))
        stream.save(update_fields=["state", "ended_at", "replay_url", "pinned", "like_count", "peak_viewers"])
        set_live_prices_open(stream, False)
        close_coupon_drops(stream)
        transaction.on_commit(lambda: realtime.cache_state(stream.pk, Stream.State.ENDED))
        broadcast(stream.pk, {"type": "state", "state": stream.state, "replay_url": stream.replay_url})
        broadcast(stream.pk, {"type": "pin", "product": None})
    return stream


def delete_stream(stream: Stream) -> None:
    with transaction.atomic():
        stream = locked_stream(stream)
        if stream.state != Stream.State.SCHEDULED:
            raise DomainError(_("Only a stream that has not started can be deleted."), code="not_scheduled")
        for featured in stream.featured.all():
            drop_live_price(featured)
        stream.delete()
