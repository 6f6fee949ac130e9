"""Row locks on livestream's tables (the project's lock order: orders/lock_objects.py). A stream row is locked on its
own while its lifecycle, featured products, live prices or coupon drops change (promotions' rows it then writes
come after it); a viewer's session row is locked alone while a heartbeat credits its watch time."""

from __future__ import annotations

from livestream.models import Stream, ViewerSession


def locked_stream(stream: Stream) -> Stream:
    """The stream, locked (its store and creator are read with it, not locked)."""
    return Stream.objects.select_for_update(of=("self",)).select_related("store", "creator").get(pk=stream.pk)


def locked_viewer_session(*, stream_id: int, viewer_key: str, defaults: dict) -> tuple[ViewerSession, bool]:
    """The viewer's session in the stream, locked; created (with ``defaults``) on the first visit."""
    return ViewerSession.objects.select_for_update().get_or_create(
        stream_id=stream_id, viewer_key=viewer_key, defaults=defaults
    )
