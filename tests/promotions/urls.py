"""A URLconf with only the apps promotions depends on, so these tests do not break while apps to the right of
promotions (orders, refunds...) are being built in the same tree. The real one (marketplace.urls) mounts the same
promotions.urls and promotions.api_urls."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include([path("", include("accounts.api_urls")), path("", include("promotions.api_urls"))])),
    path("", include("accounts.urls")),
    path("", include("shops.urls")),
    path("", include("promotions.urls")),
]
