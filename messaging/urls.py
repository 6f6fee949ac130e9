from django.urls import path

from messaging.views import seller, storefront

app_name = "messaging"
urlpatterns = [
    path("messages/", storefront.hub, name="hub"),
    path("messages/badge/", storefront.badge, name="badge"),
    path("messages/store/<slug:slug>/", storefront.contact_store, name="contact_store"),
    path("messages/c/<int:pk>/", storefront.conversation_page, name="conversation"),
    path("messages/c/<int:pk>/send/", storefront.send, name="send"),
    path("messages/notifications/", storefront.notification_list, name="notifications"),
    path("messages/notifications/read/", storefront.notifications_read, name="notifications_read"),
    path("seller/inbox/", seller.inbox, name="seller_inbox"),
    path("seller/inbox/<int:pk>/", seller.conversation, name="seller_conversation"),
    path("seller/inbox/<int:pk>/assign/", seller.assign, name="seller_assign"),
    path("seller/inbox/<int:pk>/close/", seller.close, name="seller_close"),
    path("seller/notifications/", seller.notification_list, name="seller_notifications"),
]
