"""What each segment means, in the reader's language, with the merchant's own parameters."""

from __future__ import annotations

from django.utils.translation import gettext as _

from customers.models import Segment


def definitions(settings) -> list[tuple[str, str, str]]:
    """[(segment, label, definition)] in display order."""
    return [
        (
            Segment.NEW,
            str(Segment.NEW.label),
            _("First order within the last %(days)s days.") % {"days": settings.new_days},
        ),
        (
            Segment.REGULAR,
            str(Segment.REGULAR.label),
            _("At least %(orders)s orders within the last %(days)s days.")
            % {"orders": settings.regular_min_orders, "days": settings.regular_days},
        ),
        (
            Segment.HIGH_VALUE,
            str(Segment.HIGH_VALUE.label),
            _("The top %(percent)s%% of customers by spend (net of refunds).")
            % {"percent": settings.high_value_percent},
        ),
        (
            Segment.AT_RISK,
            str(Segment.AT_RISK.label),
            _("At least %(orders)s orders in all, but none in the last %(days)s days (and not yet lost).")
            % {"orders": settings.regular_min_orders, "days": settings.at_risk_days},
        ),
        (
            Segment.LOST,
            str(Segment.LOST.label),
            _("No order in the last %(days)s days.") % {"days": settings.lost_days},
        ),
        (
            Segment.FOLLOWER,
            str(Segment.FOLLOWER.label),
            _("Follow one of your stores but have never bought."),
        ),
    ]
