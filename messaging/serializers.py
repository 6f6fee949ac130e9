from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from messaging import catalogue, chat_rules, selectors
from messaging.models import ChatMessage, Conversation, Notification, Preference
from shops.serializers import StoreBriefSerializer

MAX_ID = 2**63 - 1


class CardSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["product", "order"])
    id = serializers.IntegerField(required=False, help_text="Product id (product cards).")
    title = serializers.CharField(required=False)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    image = serializers.CharField(required=False)
    number = serializers.CharField(required=False, help_text="Sub-order number (order cards).")
    state = serializers.CharField(required=False)
    state_label = serializers.CharField(required=False)
    payable = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    url = serializers.CharField()
    seller_url = serializers.CharField(required=False)


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    conversation = serializers.IntegerField()
    side = serializers.ChoiceField(choices=ChatMessage.Side.choices)
    sender = serializers.CharField()
    kind = serializers.ChoiceField(choices=ChatMessage.Kind.choices)
    text = serializers.CharField(allow_blank=True, help_text="Raw text: set it as text, never as HTML.")
    html = serializers.CharField(allow_blank=True, help_text="The text escaped, with line breaks, safe as HTML.")
    card = CardSerializer(allow_null=True)
    created_at = serializers.DateTimeField()

    def to_representation(self, instance):
        return selectors.message_payload(instance) if isinstance(instance, ChatMessage) else instance


class ConversationSerializer(serializers.ModelSerializer):
    store = StoreBriefSerializer(read_only=True)
    shopper_name = serializers.SerializerMethodField()
    unread = serializers.SerializerMethodField(help_text="Messages from the other side this reader has not read.")

    class Meta:
        model = Conversation
        fields = [
            "id", "store", "shopper_name", "status", "assigned_to", "unread", "shopper_unread", "store_unread",
            "awaiting_reply_since", "created_at", "last_message_at", "closed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_shopper_name(self, conversation) -> str:
        shopper = conversation.shopper
        return shopper.display_name or shopper.username

    def get_unread(self, conversation) -> int:
        user = self.context["request"].user
        return conversation.shopper_unread if conversation.shopper_id == user.pk else conversation.store_unread


class OpenConversationSerializer(serializers.Serializer):
    store = serializers.SlugField(help_text="The store's slug.")


class PostMessageSerializer(serializers.Serializer):
    """Exactly one of text, product (a product id of this store) or order (a sub-order number of the shopper's at
    this store)."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                 max_length=chat_rules.MAX_MESSAGE_CHARS * 4)  # fmt: skip
    product = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    order = serializers.CharField(required=False, max_length=32)

    def validate(self, attrs):
        given = [name for name in ("text", "product", "order") if name in attrs]
        if len(given) != 1:
            raise serializers.ValidationError("Send exactly one of text, product or order.")
        return attrs


class AssignSerializer(serializers.Serializer):
    user = serializers.IntegerField(allow_null=True, min_value=1, max_value=MAX_ID,
                                    help_text="A colleague who chats for the store, or null to unassign.")  # fmt: skip


class UnreadSerializer(serializers.Serializer):
    chat = serializers.IntegerField(help_text="Unread store messages in the shopper's own conversations.")
    store_chat = serializers.IntegerField(help_text="Unread shopper messages in the stores this user chats for.")
    store_chat_by_store = serializers.DictField(child=serializers.IntegerField())
    notifications = serializers.IntegerField()


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "audience", "store", "code", "params", "title", "body", "url", "is_read", "created_at",
                  "read_at"]  # fmt: skip
        read_only_fields = fields

    def _rendered(self, notification) -> dict:
        cache = self.context.setdefault("_rendered", {})
        if notification.pk not in cache:
            cache[notification.pk] = catalogue.render(notification.code, notification.params)
        return cache[notification.pk]

    def get_title(self, notification) -> str:
        return self._rendered(notification)["title"]

    def get_body(self, notification) -> str:
        return self._rendered(notification)["body"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_url(self, notification):
        return self._rendered(notification)["url"]

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                max_length=500, help_text="Leave out to mark every notification read.")  # fmt: skip


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class PreferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Preference
        fields = ["email_enabled", "language"]


class FirstResponseSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    answered = serializers.IntegerField()
    average_seconds = serializers.IntegerField(allow_null=True)
    longest_seconds = serializers.IntegerField(allow_null=True)
    fastest_seconds = serializers.IntegerField(allow_null=True)
    waiting = serializers.IntegerField(help_text="Conversations with a question not answered yet.")
