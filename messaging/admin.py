from django.contrib import admin

from messaging.models import ChatMessage, Conversation, Delivery, FirstResponse, Notification


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "store",
        "shopper",
        "status",
        "assigned_to",
        "store_unread",
        "shopper_unread",
        "last_message_at",
    ]
    list_filter = ["status"]
    raw_id_fields = ["store", "shopper", "assigned_to"]


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "conversation", "side", "sender", "kind", "created_at"]
    raw_id_fields = ["conversation", "sender", "product", "suborder"]


@admin.register(FirstResponse)
class FirstResponseAdmin(admin.ModelAdmin):
    list_display = ["store", "conversation", "asked_at", "seconds"]
    raw_id_fields = ["store", "conversation", "answered_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "recipient", "audience", "code", "created_at", "read_at"]
    list_filter = ["audience", "code"]
    raw_id_fields = ["recipient", "store"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]
