from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import audit
from accounts.views import storefront

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", storefront.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", storefront.signup, name="signup"),
    path("accounts/profile/", storefront.profile, name="profile"),
    path("accounts/profile/token/", storefront.rotate_token, name="rotate_token"),
    path("accounts/addresses/", storefront.addresses, name="addresses"),
    path("accounts/addresses/<int:pk>/edit/", storefront.address_edit, name="address_edit"),
    path("accounts/addresses/<int:pk>/delete/", storefront.address_delete, name="address_delete"),
    path("accounts/addresses/<int:pk>/default/", storefront.address_default, name="address_default"),
    path("ops/audit/", audit.audit_log_page, name="ops_audit"),
]
