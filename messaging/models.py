"""Shopper-store chat (旺旺) and the message center (消息中心).

Chat: one conversation per shopper and store, reopened when the shopper writes again after it was closed. Unread
counts are denormalised counters on the conversation (one per side), bumped under the conversation's row lock.
``FirstResponse`` records how long each shopper question waited for the store's first answer; other apps (the
customer-experience figures) read it through ``messaging.selectors.first_response_by_store``.

Notifications are stored as a code and parameters and rendered in the reader's language when read
(messaging.catalogue); ``event_key`` makes each event notify each recipient once, however often the task runs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Conversation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    store = models.ForeignKey("shops.Store", on_delete=models.CASCADE, related_name="conversations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_chats"
    )
    shopper_unread = models.PositiveIntegerField(default=0)
    store_unread = models.PositiveIntegerField(default=0)
    # When the oldest shopper message the store has not answered yet arrived (None: nothing waiting).
    awaiting_reply_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["shopper", "store"], name="one_conversation_per_shopper_store")]
        indexes = [models.Index(fields=["store", "status", "-last_message_at"])]

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.store_id})"


class ChatMessage(models.Model):
    class Side(models.TextChoices):
        SHOPPER = "shopper", _("Shopper")
        STORE = "store", _("Store")

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        PRODUCT = "product", _("Product card")
        ORDER = "order", _("Order card")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=10, choices=Side.choices)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    text = models.TextField(blank=True)
    product = models.ForeignKey("shops.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    suborder = models.ForeignKey(
        "orders.SubOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_messages"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="text", product__isnull=True, suborder__isnull=True)
                | Q(kind="product", suborder__isnull=True)
                | Q(kind="order", product__isnull=True),
                name="chat_card_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.kind})"


class FirstResponse(models.Model):
    """One shopper question and the store's first answer to it: the first-response time (首次响应时长)."""

    store = models.ForeignKey("shops.Store", on_delete=models.CASCADE, related_name="chat_first_responses")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="first_responses")
    asked_at = models.DateTimeField()
    answered_at = models.DateTimeField()
    seconds = models.PositiveIntegerField()
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-answered_at"]
        indexes = [models.Index(fields=["store", "answered_at"])]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "asked_at"], name="one_first_response_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.seconds}s in conversation {self.conversation_id}"


class Notification(models.Model):
    class Audience(models.TextChoices):
        SHOPPER = "shopper", _("Shopper")
        MERCHANT = "merchant", _("Merchant")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    store = models.ForeignKey("shops.Store", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    event_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="one_notification_per_event_and_reader")
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.code} to {self.recipient_id}"


class Delivery(models.Model):
    """A notification sent through an outside channel (e-mail...): once per channel, recorded before sending."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")]

    def __str__(self) -> str:
        return f"{self.notification_id} via {self.channel}: {self.status}"


class Preference(models.Model):
    """A reader's channels and language for messages sent outside the site (the site itself follows the page)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preference")
    email_enabled = models.BooleanField(_("also send by e-mail"), default=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"
