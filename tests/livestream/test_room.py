"""The live room end to end through WebSocket communicators on the REAL Redis channel layer."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from livestream import chat_rules, services
from livestream.models import Mute, ViewerSession
from tests.accounts.factories import UserFactory
from tests.livestream.factories import StreamFactory
from tests.livestream.room import assert_real_layer, drain, join, leave, next_of
from tests.shops.factories import ProductFactory, SKUFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run(coroutine_function):
    return async_to_sync(coroutine_function)()


def test_chat_reaches_every_viewer_over_redis():
    assert_real_layer()
    stream = StreamFactory(live=True)
    alice, bob = UserFactory(display_name="Alice"), UserFactory(display_name="Bob")
    newcomer = UserFactory()

    async def scenario():
        a, hello = await join(stream.pk, alice)
        assert hello["state"] == "live"
        b, _ = await join(stream.pk, bob)
        anonymous, _ = await join(stream.pk)
        await a.send_json_to({"type": "chat", "text": "  这个有货吗 "})
        for viewer in (a, b, anonymous):
            message = await next_of(viewer, "chat")
            assert message["text"] == "这个有货吗" and message["user"] == "Alice"
        # a newcomer gets the recent history in the snapshot
        late, hello = await join(stream.pk, newcomer)
        assert [m["text"] for m in hello["chat"]] == ["这个有货吗"]
        await leave(a, b, anonymous, late)

    run(scenario)


def test_bad_messages_are_refused_to_the_sender_only():
    stream = StreamFactory(live=True)
    alice, bob = UserFactory(), UserFactory()

    async def scenario():
        a, _ = await join(stream.pk, alice)
        b, _ = await join(stream.pk, bob)
        anonymous, _ = await join(stream.pk)
        await a.send_json_to({"type": "chat", "text": "   "})
        assert (await next_of(a, "error"))["code"] == "empty"
        await a.send_json_to({"type": "chat", "text": "好" * (chat_rules.MAX_MESSAGE_CHARS + 1)})
        assert (await next_of(a, "error"))["code"] == "too_long"
        await a.send_to(text_data="x" * 10_000)
        assert (await next_of(a, "error"))["code"] == "too_large"
        await a.send_to(text_data="{not json")
        assert (await next_of(a, "error"))["code"] == "invalid"
        await a.send_json_to({"type": "chat", "text": "加微信 便宜"})
        assert (await next_of(a, "error"))["code"] == "banned_word"
        await a.send_json_to({"type": "explode"})
        assert (await next_of(a, "error"))["code"] == "unknown_type"
        await anonymous.send_json_to({"type": "chat", "text": "hello"})
        assert (await next_of(anonymous, "error"))["code"] == "login_required"
        # nobody else saw any of it, and the room still works
        assert not [e for e in await drain(b) if e["type"] in ("chat", "error")]
        await b.send_json_to({"type": "chat", "text": "still here"})
        assert (await next_of(a, "chat"))["text"] == "still here"
        await leave(a, b, anonymous)

    run(scenario)


def test_chat_is_rate_limited_per_viewer():
    stream = StreamFactory(live=True)
    alice = UserFactory()

    async def scenario():
        a, _ = await join(stream.pk, alice)
        second_tab, _ = await join(stream.pk, alice)
        await a.send_json_to({"type": "chat", "text": "one"})
        assert (await next_of(a, "chat"))["text"] == "one"
        # the same user from another connection is held to the same limit (Redis, not per socket)
        await second_tab.send_json_to({"type": "chat", "text": "two"})
        assert (await next_of(second_tab, "error"))["code"] == "too_fast"
        await leave(a, second_tab)

    run(scenario)


def test_a_muted_viewer_cannot_chat_but_keeps_watching():
    stream = StreamFactory(live=True)
    host = stream.store.merchant.owner
    troll, fan, newcomer = UserFactory(), UserFactory(), UserFactory()

    async def scenario():
        t, _ = await join(stream.pk, troll)
        f, _ = await join(stream.pk, fan)
        await t.send_json_to({"type": "chat", "text": "first"})
        await next_of(f, "chat")
        await sync_to_async(services.mute)(stream, troll.pk, by=host)
        assert (await next_of(f, "muted"))["user_id"] == troll.pk
        await t.send_json_to({"type": "chat", "text": "again"})
        assert (await next_of(t, "error"))["code"] == "muted"
        assert not [e for e in await drain(f) if e["type"] == "chat"]
        # the muted viewer's lines leave the history newcomers get
        _, hello = await join(stream.pk, newcomer)
        assert hello["chat"] == []
        await leave(t, f)

    run(scenario)
    assert Mute.objects.filter(stream=stream, user=troll).exists()


def test_pinned_product_is_pushed_to_every_viewer_and_pinning_outsiders_is_refused():
    stream = StreamFactory(live=True)
    product = ProductFactory(store=stream.store, title="羊毛大衣")
    SKUFactory(product=product)
    featured = services.feature_product(stream, product)
    outsider = ProductFactory()
    user = UserFactory()

    async def scenario():
        a, _ = await join(stream.pk)
        b, _ = await join(stream.pk, user)
        await sync_to_async(services.pin)(stream, featured.pk)
        for viewer in (a, b):
            pinned = (await next_of(viewer, "pin"))["product"]
            assert pinned["title"] == "羊毛大衣" and pinned["id"] == featured.pk
        late, hello = await join(stream.pk)
        assert hello["pinned"]["id"] == featured.pk
        await leave(a, b, late)

    run(scenario)
    with pytest.raises(services.DomainError) as refused:
        services.pin(stream, 999_999)
    assert refused.value.code == "not_featured"
    with pytest.raises(services.DomainError):
        services.feature_product(stream, outsider)


def test_likes_are_aggregated_and_broadcast_in_batches():
    stream = StreamFactory(live=True)
    users = UserFactory.create_batch(3)

    async def scenario():
        viewers = [(await join(stream.pk, user))[0] for user in users]
        watcher, _ = await join(stream.pk)
        for viewer in viewers:
            for _ in range(5):
                await viewer.send_json_to({"type": "like", "count": 2})
        await viewers[0].send_json_to({"type": "like", "count": 10_000})
        assert (await next_of(viewers[0], "error"))["code"] == "invalid_like"
        totals = []
        while not totals or totals[-1] < 30:
            totals.append((await next_of(watcher, "figures"))["likes"])
        # 15 like messages produced far fewer broadcasts, and the final total is exact
        assert totals[-1] == 30 and len(totals) < 15
        await leave(watcher, *viewers)

    run(scenario)
    services.flush_figures(stream.pk)
    stream.refresh_from_db()
    assert stream.like_count == 30


def test_viewer_count_peak_and_unique_viewers():
    stream = StreamFactory(live=True)
    alice = UserFactory()

    async def scenario():
        first, hello = await join(stream.pk, alice)
        assert hello["viewers"] == 1
        others = [(await join(stream.pk))[0] for _ in range(3)]
        figures = await next_of(first, "figures")
        while figures["viewers"] != 4:
            figures = await next_of(first, "figures")
        await leave(*others)
        figures = await next_of(first, "figures")
        while figures["viewers"] != 1:
            figures = await next_of(first, "figures")
        again, _ = await join(stream.pk, alice)  # same user twice: one unique viewer
        await leave(first, again)

    run(scenario)
    from livestream import selectors

    figures = selectors.metrics(stream)
    assert figures.peak_viewers == 4
    assert ViewerSession.objects.filter(stream=stream, viewer_key=f"u{alice.pk}").count() == 1
    assert figures.unique_viewers == 4  # alice + 3 anonymous connections


def test_anonymous_may_watch_but_not_like_nobody_likes_a_scheduled_stream_and_unknown_streams_close():
    stream = StreamFactory()
    fan = UserFactory()

    async def scenario():
        viewer, hello = await join(stream.pk)
        assert hello["state"] == "scheduled"
        await viewer.send_json_to({"type": "like"})
        assert (await next_of(viewer, "error"))["code"] == "login_required"
        logged_in, _ = await join(stream.pk, fan)
        await logged_in.send_json_to({"type": "like"})
        assert (await next_of(logged_in, "error"))["code"] == "not_live"
        await leave(viewer, logged_in)
        from django.contrib.auth.models import AnonymousUser

        from tests.livestream.room import WebsocketCommunicator, application

        nowhere = WebsocketCommunicator(application, "/ws/live/987654/")
        nowhere.scope["user"] = AnonymousUser()
        connected, code = await nowhere.connect(timeout=5)
        assert not connected and code == 4404

    run(scenario)


def test_ending_the_stream_reaches_viewers_and_closes_chat_and_claims():
    stream = StreamFactory(live=True)
    host = stream.store.merchant.owner
    fan = UserFactory()
    drop = services.drop_coupon(stream, by=host, name="券", off="5.00", threshold="50.00", quantity=10)

    async def scenario():
        viewer, hello = await join(stream.pk, fan)
        assert [d["id"] for d in hello["drops"]] == [drop.pk]
        await sync_to_async(services.end_stream)(stream, by=host)
        state = await next_of(viewer, "state")
        assert state["state"] == "ended" and state["replay_url"] == stream.playback_url
        await viewer.send_json_to({"type": "chat", "text": "还在吗"})
        assert (await next_of(viewer, "error"))["code"] == "not_live"
        await viewer.send_json_to({"type": "claim", "drop": drop.pk})
        assert (await next_of(viewer, "error"))["code"] == "not_live"
        await viewer.send_json_to({"type": "claim", "drop": 2**70})
        assert (await next_of(viewer, "error"))["code"] == "no_drop"
        await leave(viewer)

    run(scenario)


def test_the_hosts_console_is_not_counted_as_a_viewer_and_its_messages_are_badged():
    stream = StreamFactory(live=True)
    host = stream.store.merchant.owner
    fan = UserFactory()

    async def scenario():
        console, hello = await join(stream.pk, host)
        viewer, hello = await join(stream.pk, fan)
        assert hello["viewers"] == 1
        await console.send_json_to({"type": "chat", "text": "欢迎来到直播间"})
        message = await next_of(viewer, "chat")
        assert message["host"] is True
        await leave(console, viewer)

    run(scenario)
    assert not ViewerSession.objects.filter(stream=stream, user=host).exists()


def test_the_socket_speaks_the_viewers_language():
    from livestream.consumers import viewer_language

    assert viewer_language({"cookies": {"django_language": "zh-hans"}}) == "zh-hans"
    assert viewer_language({"headers": [(b"accept-language", b"zh-CN,zh;q=0.9,en;q=0.8")]}) == "zh-hans"
    assert viewer_language({"headers": [(b"accept-language", b"fr-FR")]}) == "en"
    assert viewer_language({}) == "en"


def test_room_messages_are_dispatched_without_a_hop_to_the_thread_sensitive_thread(monkeypatch):
    """channels' default dispatch closes stale connections on the single thread-sensitive thread before every
    message of every viewer, which serialized a busy room through one thread; the room's consumer skips it."""
    import channels.consumer

    hops = []

    async def counting_close():
        hops.append(1)

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counting_close)
    stream = StreamFactory(live=True)
    alice, bob = UserFactory(), UserFactory()

    async def scenario():
        a, _ = await join(stream.pk, alice)
        b, _ = await join(stream.pk, bob)
        await a.send_json_to({"type": "like", "count": 3})
        await a.send_json_to({"type": "heartbeat"})
        await b.send_json_to({"type": "chat", "text": "hi"})
        for viewer in (a, b):
            assert (await next_of(viewer, "chat"))["text"] == "hi"
        assert (await next_of(b, "figures"))["likes"] == 3
        await leave(a, b)

    run(scenario)
    assert hops == []
