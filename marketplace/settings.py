"""Settings, all from the environment.

DEBUG defaults to on for the development stack; production sets DEBUG=0, SECRET_KEY and ALLOWED_HOSTS and gets the
hardened settings below (``manage.py check --deploy`` passes with no warnings). With DATABASE_URL / REDIS_URL unset
the project uses the zero-setup dev stack (marketplace/devstack.py).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from marketplace import devstack

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "marketplace.errors.csrf_failure"  # a styled page (JSON under /api/), not Django's bare 403

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "channels",
    "axes",
    "csp",
    "auditlog",
    "marketplace",
    "accounts",
    "shops",
    "promotions",
    "orders",
    "payments",
    "logistics",
    "refunds",
    "settlement",
    "reviews",
    "customers",
    "livestream",
    "messaging",
    "insight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "marketplace.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Who changed what (django-auditlog), with the actor resolved after DRF authenticates (accounts/audit.py).
    "accounts.audit.AuditActorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "marketplace.errors.StyledNotFoundMiddleware",
    "insight.middleware.EventMiddleware",
    # Last, as django-axes requires: turns a sign-in lockout into its answer (accounts.throttling).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
ASGI_APPLICATION = "marketplace.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "marketplace.navigation.context",
                "shops.workbench.seller_context",
            ],
        },
    },
]

# Content-Security-Policy (django-csp): scripts only from our own files, never inline (templates put behaviour in
# static/js and data in data- attributes); no framing; forms post only here. Inline style attributes stay allowed:
# they cannot run code. Pages that must load something else extend this in one place.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],  # 'self' covers the live room's same-origin WebSocket
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"

# The audit log (django-auditlog, shown at /ops/audit/ and GET /api/v1/ops/audit/): the rows operators decide on.
# Counters that customers move (coupons claimed, budget spent, ratings) are left out so the log stays about
# decisions. Tracking a new model is one line here.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "promotions.Campaign", "exclude_fields": ["spent"]},
    {"model": "promotions.CouponTemplate", "exclude_fields": ["issued_count"]},
    "refunds.RefundPolicyVersion",
    "settlement.CommissionRate",
    "settlement.Payout",
    "shops.BrandAuthorization",
    {"model": "shops.Store", "include_fields": ["name", "status", "merchant"]},
    {"model": "accounts.User", "include_fields": ["is_staff", "is_superuser", "is_active"]},
    # Hiding a review or showing it again: one row per operator decision (who, which review, hidden/shown, reason).
    "reviews.ReviewModeration",
)

SERVICES = devstack.environment()
DATABASES = {
    "default": dj_database_url.parse(
        SERVICES["DATABASE_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
}
# Threads serving HTTP in each web process (marketplace/asgi.py); each keeps one database connection.
HTTP_THREADS = int(os.environ.get("HTTP_THREADS", "8"))
# Each test run gets its own database so parallel runs on one server never collide.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
REDIS_URL = SERVICES["REDIS_URL"]

CACHES = {
    "default": {
        "BACKEND": "marketplace.cache.SharedPoolRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mkt"),
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The throttle first: a locked-out account or address never reaches the password check.
AUTHENTICATION_BACKENDS = ["accounts.throttling.LoginThrottleBackend", "accounts.backends.CachedModelBackend"]
# Sign-in throttling (django-axes, see accounts/throttling.py): per account and, separately, per IP address.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
# The address is REMOTE_ADDR: behind a proxy, uvicorn sets it from X-Forwarded-For for the proxies it trusts
# (FORWARDED_ALLOW_IPS, see docs/OPERATIONS.md).

# Redis pub/sub: each server process subscribes once to a group (and once per connection for messages to one
# channel) and fans group messages out to its own connections in memory, so a chat line to a room of 1,000 viewers
# costs one PUBLISH instead of one Redis write per viewer (docs/PERFORMANCE.md, "Live room"). Nothing is queued in
# Redis: a message reaches the consumers connected when it is published, which is all a room or a chat needs.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [{"address": REDIS_URL}],
            "prefix": os.environ.get("CHANNEL_PREFIX", "asgi"),
        },
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / ".devdata" / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even before collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / ".devdata" / "media"))
# Uploads only their owners may read (invoice PDFs), served by permission-checked views, never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", MEDIA_ROOT.parent / f"{MEDIA_ROOT.name}-private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.backends.CachedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Bounded in size and nesting depth (marketplace/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "marketplace.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 24,
    "EXCEPTION_HANDLER": "marketplace.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Marketplace API",
    "DESCRIPTION": "One marketplace for Taobao and Tmall stores: catalog, cart, orders, promotions, refunds, live.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Served from the project: the app must work with no internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One clear schema name per choice set that several apps would otherwise name alike ("status", "kind").
    "ENUM_NAME_OVERRIDES": {
        "BrandEnum": "shops.models.Brand",
        "StoreStatusEnum": "shops.models.Store.Status",
        "BrandAuthorizationStatusEnum": "shops.models.BrandAuthorization.Status",
        "ProductStatusEnum": "shops.models.Product.Status",
        "OrderStatusEnum": "orders.models.Order.Status",
        "SubOrderStateEnum": "orders.models.SubOrder.State",
        "RefundKindEnum": "refunds.models.RefundRequest.Kind",
        "CouponKindEnum": "promotions.models.CouponTemplate.Kind",
        "StreamStateEnum": "livestream.models.Stream.State",
        "InvoiceKindEnum": "orders.models.Invoice.Kind",
        "ShippingTemplateModeEnum": "shops.models.ShippingTemplate.Mode",
        "CouponChannelEnum": "promotions.models.CouponTemplate.Channel",
        "ClaimChannelEnum": "promotions.models.CLAIM_CHANNELS",
        "CustomerSegmentEnum": "customers.models.Segment",
        "TrackingStatusEnum": "logistics.tracking_steps.STATUS_CHOICES",
    },
}

# Celery: Redis is the broker; results are not needed by the domain (state lives in PostgreSQL).
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "marketplace")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".devdata" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}

# Outside channels for notifications besides the in-site message center (messaging.channels).
MESSAGING_CHANNELS = env_list("MESSAGING_CHANNELS", "email")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@marketplace.local")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)

# Marketplace rules that operators may tune per deployment.
UNPAID_ORDER_TIMEOUT_MINUTES = int(os.environ.get("UNPAID_ORDER_TIMEOUT_MINUTES", "30"))
AUTO_RECEIVE_DAYS = int(os.environ.get("AUTO_RECEIVE_DAYS", "10"))  # after the carrier reports delivery
AUTO_RECEIVE_UNDELIVERED_DAYS = int(os.environ.get("AUTO_RECEIVE_UNDELIVERED_DAYS", "20"))  # no delivery report
LOGISTICS_WEBHOOK_SECRET = os.environ.get("LOGISTICS_WEBHOOK_SECRET", SECRET_KEY + ":logistics")
LOGISTICS_WEBHOOK_MAX_AGE_SECONDS = int(os.environ.get("LOGISTICS_WEBHOOK_MAX_AGE_SECONDS", "300"))
# The sandbox carrier moves every shipped parcel one step per interval (picked up ... delivered).
LOGISTICS_SANDBOX_STEP_MINUTES = int(os.environ.get("LOGISTICS_SANDBOX_STEP_MINUTES", "60"))
PAYMENT_CALLBACK_SECRET = os.environ.get("PAYMENT_CALLBACK_SECRET", SECRET_KEY)
# Where the payment gateway posts its callbacks: the server itself unless told otherwise, so a server started on
# another PORT (or HOST) still hears about its payments.
_SERVED_HOST = os.environ.get("HOST", "127.0.0.1")
SITE_URL = os.environ.get("SITE_URL") or "http://{host}:{port}".format(
    host="127.0.0.1" if _SERVED_HOST in ("", "0.0.0.0", "::") else _SERVED_HOST,  # noqa: S104 - compared, not bound
    port=os.environ.get("PORT", "8000"),
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO" if not DEBUG else "WARNING")},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
