"""The messaging API: chat (shoppers and store staff, /chat/...), the staff inbox (/seller/chat/...), unread counts
and the message center (/me/...). A conversation the caller does not take part in is a 404.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from marketplace.api import DomainError
from messaging import selectors
from messaging.models import Conversation, Notification, Preference
from messaging.serializers import (
    AssignSerializer,
    ConversationSerializer,
    FirstResponseSerializer,
    MarkedSerializer,
    MarkReadSerializer,
    MessageSerializer,
    NotificationSerializer,
    OpenConversationSerializer,
    PostMessageSerializer,
    PreferenceSerializer,
    UnreadSerializer,
)
from messaging.services import chat, notifications
from shops.models import Store

SIGNED_IN = [permissions.IsAuthenticated]


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 18:
        raise DomainError(_("%(name)s must be a number.") % {"name": name}, code="invalid")
    return int(value)


class ShopperConversationsView(generics.ListAPIView):
    """The signed-in shopper's conversations with stores; POST opens (or returns) the one with a store."""

    permission_classes = SIGNED_IN
    serializer_class = ConversationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conversation.objects.none()
        return selectors.shopper_conversations(self.request.user)

    @extend_schema(request=OpenConversationSerializer, responses={201: ConversationSerializer})
    def post(self, request):
        data = OpenConversationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        store = get_object_or_404(Store, slug=data.validated_data["store"])
        conversation = chat.open_conversation(request.user, store)
        return Response(ConversationSerializer(conversation, context={"request": request}).data, status=201)


class ConversationDetailView(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(responses=ConversationSerializer)
    def get(self, request, pk):
        conversation, _side = chat.conversation_for(request.user, pk)
        return Response(ConversationSerializer(conversation, context={"request": request}).data)


class MessagePagination(PageNumberPagination):
    page_size = 50


class ConversationMessagesView(APIView):
    """Messages of a conversation, oldest first (``before``: only older than that message id, for paging back);
    POST sends a text, a product card or an order card (rate and length limited)."""

    permission_classes = SIGNED_IN

    @extend_schema(parameters=[OpenApiParameter("before", int, required=False)], responses=MessageSerializer(many=True))
    def get(self, request, pk):
        conversation, _side = chat.conversation_for(request.user, pk)
        messages = selectors.messages(conversation, before_id=_int_param(request, "before"))
        return Response(MessageSerializer(messages, many=True).data)

    @extend_schema(request=PostMessageSerializer, responses={201: MessageSerializer})
    def post(self, request, pk):
        chat.conversation_for(request.user, pk)  # 404 before reading the body
        data = PostMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        message = chat.post_message(
            pk, request.user, text=values.get("text"), product_id=values.get("product"),
            order_number=values.get("order"),
        )  # fmt: skip
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ConversationReadView(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(request=None, responses=ConversationSerializer)
    def post(self, request, pk):
        conversation = chat.mark_read(pk, request.user)
        return Response(ConversationSerializer(conversation, context={"request": request}).data)


class InboxView(generics.ListAPIView):
    """The shared inbox: conversations of every store where the caller chats for the store."""

    permission_classes = SIGNED_IN
    serializer_class = ConversationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("store", int, required=False, description="Only this store (one of yours)."),
            OpenApiParameter("status", str, enum=Conversation.Status.values, required=False),
            OpenApiParameter("mine", bool, required=False, description="Only conversations assigned to you."),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        request = self.request
        if getattr(self, "swagger_fake_view", False):
            return Conversation.objects.none()
        return selectors.inbox(
            request.user,
            store_id=_int_param(request, "store"),
            status=request.query_params.get("status"),
            mine=request.query_params.get("mine") in ("1", "true"),
        )


class InboxAssignView(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(request=AssignSerializer, responses=ConversationSerializer)
    def post(self, request, pk):
        chat.staff_conversation(pk, request.user)
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_id = data.validated_data["user"]
        assignee = None if user_id is None else User.objects.filter(pk=user_id).first()
        if user_id is not None and assignee is None:
            raise DomainError(_("That person cannot answer chats for this store."), code="invalid_assignee")
        conversation = chat.assign(pk, request.user, assignee)
        return Response(ConversationSerializer(conversation, context={"request": request}).data)


class InboxCloseView(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(request=None, responses=ConversationSerializer)
    def post(self, request, pk):
        conversation = chat.close(pk, request.user)
        return Response(ConversationSerializer(conversation, context={"request": request}).data)


class FirstResponseView(APIView):
    """First-response time per store the caller chats for (all time)."""

    permission_classes = SIGNED_IN

    @extend_schema(responses=FirstResponseSerializer(many=True))
    def get(self, request):
        store_ids = list(selectors.chat_stores(request.user).values_list("pk", flat=True))
        figures = selectors.first_response_by_store(store_ids)
        waiting = selectors.waiting_questions(store_ids)
        rows = [
            {
                "store": store_id,
                **figures.get(
                    store_id, {"answered": 0, "average_seconds": None, "longest_seconds": None, "fastest_seconds": None}
                ),
                "waiting": waiting.get(store_id, 0),
            }
            for store_id in store_ids
        ]
        return Response(FirstResponseSerializer(rows, many=True).data)


class UnreadView(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(responses=UnreadSerializer)
    def get(self, request):
        counts = selectors.unread_counts(request.user)
        counts["store_chat_by_store"] = {str(k): v for k, v in counts["store_chat_by_store"].items()}
        return Response(UnreadSerializer(counts).data)


class NotificationListView(generics.ListAPIView):
    """The caller's message center, newest first, in the caller's language."""

    permission_classes = SIGNED_IN
    serializer_class = NotificationSerializer

    @extend_schema(parameters=[OpenApiParameter("unread", bool, required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        unread = self.request.query_params.get("unread") in ("1", "true")
        return selectors.notifications_for(self.request.user, unread_only=unread)


class NotificationReadView(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer)
    def post(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notifications.mark_read(request.user, data.validated_data.get("ids"))
        return Response({"marked": marked})


class PreferenceView(generics.RetrieveUpdateAPIView):
    permission_classes = SIGNED_IN
    serializer_class = PreferenceSerializer
    http_method_names = ["get", "put", "patch"]

    def get_object(self):
        return Preference.objects.get_or_create(user=self.request.user)[0]
