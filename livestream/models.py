"""Live streams (淘宝直播): hosts (stores or creators), streams, featured products, coupon drops, viewers, metrics.

What changes many times a second (who is watching, like counters, chat history, rate limits) lives in Redis
(livestream/realtime.py); these tables hold what must last: the stream and its products, mutes, one row per viewer
with their watch time, and per-minute samples for the charts.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField
from shops.models import Product, Store


class Creator(models.Model):
    """A creator (达人) who hosts streams featuring other stores' products for a commission."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creator_profile")
    display_name = models.CharField(_("display name"), max_length=80)
    bio = models.TextField(_("about"), blank=True, max_length=2000)
    avatar = models.ImageField(_("avatar"), upload_to="creators/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.display_name


class CreatorPolicy(models.Model):
    """A store's choice to let creators feature its products, and the commission it pays them on what they sell."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="creator_policy")
    allows_creators = models.BooleanField(_("creators may feature our products"), default=False)
    commission_rate = models.DecimalField(
        _("creator commission rate"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.100"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.9"))],
        help_text=_("Share of what a creator's stream sells, e.g. 0.1 for 10%."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0, commission_rate__lte=Decimal("0.9")),
                name="creator_commission_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.store}: creators {'allowed' if self.allows_creators else 'not allowed'}"


class Stream(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")

    class HostKind(models.TextChoices):
        STORE = "store", _("Store stream")
        CREATOR = "creator", _("Creator stream")

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    cover = models.ImageField(_("cover"), upload_to="live/covers/", blank=True)
    host_kind = models.CharField(_("host"), max_length=10, choices=HostKind.choices)
    store = models.ForeignKey(Store, null=True, blank=True, on_delete=models.PROTECT, related_name="streams")
    creator = models.ForeignKey(Creator, null=True, blank=True, on_delete=models.PROTECT, related_name="streams")
    scheduled_at = models.DateTimeField(_("scheduled for"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    # The app does not encode video: it plays whatever these URLs serve (a CDN/HLS URL in production).
    playback_url = models.CharField(_("playback URL"), max_length=500, blank=True)
    replay_url = models.CharField(_("replay URL"), max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    pinned = models.ForeignKey(
        "FeaturedProduct", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("pinned")
    )
    # Copied from Redis when the stream ends or on the batched flushes while live.
    like_count = models.PositiveBigIntegerField(default=0)
    peak_viewers = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        indexes = [models.Index(fields=["state", "-scheduled_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(host_kind="store", store__isnull=False, creator__isnull=True)
                | Q(host_kind="creator", creator__isnull=False, store__isnull=True),
                name="stream_has_one_host",
            ),
            models.CheckConstraint(
                condition=~Q(state="live") | Q(started_at__isnull=False), name="live_stream_has_started_at"
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | Q(ended_at__isnull=False), name="ended_stream_has_ended_at"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.state == self.State.LIVE

    @property
    def is_ended(self) -> bool:
        return self.state == self.State.ENDED

    @property
    def host_name(self) -> str:
        return str(self.store if self.host_kind == self.HostKind.STORE else self.creator)

    @property
    def source(self) -> str:
        """The attribution tag the watch page puts on cart items and orders copy to their lines."""
        return f"live:{self.pk}"

    @property
    def video_url(self) -> str:
        return self.replay_url or self.playback_url if self.is_ended else self.playback_url

    @property
    def video_is_image(self) -> bool:
        """Demo feeds are animated images (no video encoder on the box); real URLs are video or HLS."""
        return self.video_url.lower().rsplit("?", 1)[0].endswith((".webp", ".gif", ".png", ".jpg", ".jpeg"))


class FeaturedProduct(models.Model):
    """A product shown in the stream, in order, with an optional live price (an item discount open only while
    the stream is live, held by promotions) and, on creator streams, the commission rate agreed when featured."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="featured")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", editable=False)
    position = models.PositiveIntegerField(default=0)
    live_price = MoneyField(_("live price"), null=True, blank=True)
    live_promotion_id = models.BigIntegerField(null=True, blank=True, editable=False)
    commission_rate = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0"))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "product"], name="product_featured_once_per_stream"),
            models.CheckConstraint(condition=Q(live_price__isnull=True) | Q(live_price__gt=0), name="live_price_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.product} in {self.stream}"

    def save(self, *args, **kwargs):
        self.store_id = self.product.store_id
        super().save(*args, **kwargs)


class CouponDrop(models.Model):
    """A live-only coupon released in the room: a promotions coupon template of the live channel, claimable only
    while the stream is live, first come first served up to its quantity."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="coupon_drops")
    template = models.OneToOneField("promotions.CouponTemplate", on_delete=models.PROTECT, related_name="live_drop")
    dropped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dropped_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dropped_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template} @ {self.stream}"


class Mute(models.Model):
    """A viewer the host silenced in one stream: they still watch, their chat is refused."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stream", "user"], name="mute_once_per_stream")]

    def __str__(self) -> str:
        return f"{self.user_id} muted in {self.stream_id}"


class ViewerSession(models.Model):
    """One viewer of one stream (a user, or an anonymous browser session): unique viewers and watch time.

    Watch time grows with heartbeats; each heartbeat credits at most HEARTBEAT_CREDIT_CAP seconds since the
    viewer's previous one, so two tabs or a stalled client never inflate it.
    """

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="viewer_sessions")
    viewer_key = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    watch_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stream", "viewer_key"], name="one_session_per_viewer")]

    def __str__(self) -> str:
        return f"{self.viewer_key} watched {self.stream_id} for {self.watch_seconds}s"


class MetricSample(models.Model):
    """Per-minute figures of a live stream for the workbench charts."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="samples")
    minute = models.DateTimeField()
    viewers = models.PositiveIntegerField(default=0)
    likes = models.PositiveBigIntegerField(default=0)
    messages = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["minute"]
        constraints = [models.UniqueConstraint(fields=["stream", "minute"], name="one_sample_per_minute")]

    def __str__(self) -> str:
        return f"{self.stream_id} @ {self.minute:%H:%M}: {self.viewers} viewers"
