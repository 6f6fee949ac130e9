"""Outside delivery channels for notifications. The in-site message center is the Notification row itself; every
channel listed in ``settings.MESSAGING_CHANNELS`` (default: e-mail) is also tried, once per notification.

A channel is a class registered with ``@register``: ``wants(notification, preference)`` says whether this reader
gets it there, ``send(notification, rendered)`` sends (raise to have the delivery marked failed and retried).
An SMS channel is one more class here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

REGISTRY: dict[str, type[Channel]] = {}


def register(cls: type[Channel]) -> type[Channel]:
    REGISTRY[cls.name] = cls
    return cls


class Channel:
    name = ""

    def wants(self, notification, preference) -> bool:
        raise NotImplementedError

    def send(self, notification, rendered: dict) -> None:
        raise NotImplementedError


@register
class EmailChannel(Channel):
    """Through Django's mail backend (console in development, SMTP in production, locmem in tests)."""

    name = "email"

    def wants(self, notification, preference) -> bool:
        return bool(notification.recipient.email) and (preference is None or preference.email_enabled)

    def send(self, notification, rendered: dict) -> None:
        lines = [rendered["body"]]
        if rendered.get("url"):
            lines.append(settings.SITE_URL.rstrip("/") + rendered["url"])
        send_mail(rendered["title"], "\n\n".join(lines), None, [notification.recipient.email], fail_silently=False)


def active_channels() -> list[Channel]:
    names = getattr(settings, "MESSAGING_CHANNELS", ["email"])
    return [REGISTRY[name]() for name in names if name in REGISTRY]
