from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from marketplace.health import healthz
from marketplace.navigation import APPS


class FaviconRedirect(RedirectView):
    """Resolved per request: the hashed static name exists only once collectstatic has run (production storage)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


api_v1 = [path("", include(f"{app}.api_urls")) for app in APPS]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", FaviconRedirect.as_view()),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the docs page passes the Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    *[path("", include(f"{app}.urls")) for app in APPS],
]

handler400 = "marketplace.errors.bad_request"
handler403 = "marketplace.errors.permission_denied"
handler404 = "marketplace.errors.page_not_found"
handler500 = "marketplace.errors.server_error"
