from django.urls import path

from messaging import api

urlpatterns = [
    path("chat/conversations/", api.ShopperConversationsView.as_view(), name="chat-conversations"),
    path("chat/conversations/<int:pk>/", api.ConversationDetailView.as_view(), name="chat-conversation"),
    path("chat/conversations/<int:pk>/messages/", api.ConversationMessagesView.as_view(), name="chat-messages"),
    path("chat/conversations/<int:pk>/read/", api.ConversationReadView.as_view(), name="chat-read"),
    path("seller/chat/conversations/", api.InboxView.as_view(), name="chat-inbox"),
    path("seller/chat/conversations/<int:pk>/assign/", api.InboxAssignView.as_view(), name="chat-assign"),
    path("seller/chat/conversations/<int:pk>/close/", api.InboxCloseView.as_view(), name="chat-close"),
    path("seller/chat/first-response/", api.FirstResponseView.as_view(), name="chat-first-response"),
    path("me/unread/", api.UnreadView.as_view(), name="me-unread"),
    path("me/notifications/", api.NotificationListView.as_view(), name="me-notifications"),
    path("me/notifications/read/", api.NotificationReadView.as_view(), name="me-notifications-read"),
    path("me/notification-preference/", api.PreferenceView.as_view(), name="me-notification-preference"),
]
