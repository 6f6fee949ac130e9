from django import template

from marketplace.navigation import menu

register = template.Library()


@register.simple_tag
def creator_menu() -> list[dict]:
    return menu("creator")


@register.filter
def duration(seconds) -> str:
    """Seconds as "1h 02m", "3m 05s" or "42s"."""
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


@register.filter
def percent(rate) -> str:
    return f"{float(rate or 0) * 100:.1f}%"
