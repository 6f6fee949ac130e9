"""ASGI entry point: HTTP through Django's WSGI handler on a thread pool, WebSockets through Channels.

Every HTTP view here is synchronous. Django's ASGI handler would run each request's sync code on a new thread, so
the thread-local database connection is opened and dropped per request (CONN_MAX_AGE cannot help): about 5 ms of
PostgreSQL connection set-up on every request that reads the database. a2wsgi runs the WSGI handler on a fixed
pool of threads instead, and each thread keeps its persistent connection.

One hot request is answered before the thread pool: a flash-sale buy (orders.flash_lane, marketplace.lane).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
django_wsgi_app = get_wsgi_application()  # sets Django up before the imports below

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402  (Django must be set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from livestream.routing import websocket_urlpatterns as live_routes  # noqa: E402
from marketplace import warmup  # noqa: E402
from messaging.routing import websocket_urlpatterns as chat_routes  # noqa: E402
from orders.flash_lane import FlashBuyLane  # noqa: E402

django_on_threads = WSGIMiddleware(django_wsgi_app, workers=settings.HTTP_THREADS)
# Every server process: the first requests answer like the later ones (marketplace.warmup).
warmup.warm(django_wsgi_app, django_on_threads.executor)

application = ProtocolTypeRouter(
    {
        # A flash sale's buyers are answered in the event loop when Redis alone can answer (orders.flash_lane).
        "http": FlashBuyLane(django_on_threads),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(live_routes + chat_routes))),
    }
)
