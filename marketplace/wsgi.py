import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_wsgi_application()

from marketplace import warmup  # noqa: E402  (Django must be set up first)

warmup.warm(application)  # every server process: the first requests answer like the later ones (marketplace.warmup)
