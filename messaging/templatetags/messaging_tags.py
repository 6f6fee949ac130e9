from django import template

from messaging import catalogue

register = template.Library()


@register.simple_tag
def render_notification(notification) -> dict:
    return catalogue.render(notification.code, notification.params)
