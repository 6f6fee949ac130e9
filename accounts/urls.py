from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/profile/token/", views.rotate_token, name="rotate_token"),
    path("accounts/addresses/", views.addresses, name="addresses"),
    path("accounts/addresses/<int:pk>/edit/", views.address_edit, name="address_edit"),
    path("accounts/addresses/<int:pk>/delete/", views.address_delete, name="address_delete"),
    path("accounts/addresses/<int:pk>/default/", views.address_default, name="address_default"),
]
