"""The policy dry run judges past requests on the facts of the moment they were made."""

import pytest

from refunds.models import RefundRequest
from refunds.selectors import dry_run
from refunds.services import policies, processing
from refunds.services.requests import create_request
from tests.refunds.helpers import key, ship, simple_paid

pytestmark = pytest.mark.django_db


def refund_everything(shopper, suborder, line):
    request = create_request(
        shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: line.quantity}, reason="not_wanted",
        idempotency_key=key(),
    )  # fmt: skip
    assert processing.pay(request.pk) == "refunded"
    return request


def test_instant_refunds_of_unshipped_suborders_are_shown_unshipped_and_instant_under_the_policy_in_force():
    refunded = []
    for _ in range(3):
        shopper, suborder, line = simple_paid(price="100.00", quantity=1)
        request = refund_everything(shopper, suborder, line)
        assert request.instant
        suborder.refresh_from_db()
        assert suborder.state == "closed"
        refunded.append(suborder.number)
    shopper, shipped, _line = simple_paid(price="100.00", quantity=1)
    ship(shipped)

    _version, in_force = policies.current_policy()
    result = dry_run(in_force, last=10)

    rows = {row.reference: row for row in result.rows}
    for number in refunded:
        assert rows[number].shipped is False
        assert rows[number].current.instant and rows[number].draft.instant
    assert rows[shipped.number].shipped is True and not rows[shipped.number].current.instant
    assert result.summary["current_instant"] == RefundRequest.objects.filter(instant=True).count() == 3


def test_the_policy_in_force_adds_up_to_what_happened_for_returns_and_overdue_cancellations():
    """A return is reviewed by the store whatever the policy says, and a cancellation past the ship-by time is
    refunded at once: the dry run judges them as their requests were judged."""
    import datetime

    from django.utils import timezone

    from orders.models import SubOrder
    from refunds.services.requests import cancel_overdue
    from tests.accounts.factories import OperatorFactory

    policies.save_version(
        {"brands": {"TMALL": {"unshipped_only": False}, "TAOBAO": {"unshipped_only": False}}},
        author=OperatorFactory(), publish=True,
    )  # fmt: skip
    shopper, returned, line = simple_paid(price="100.00", quantity=1)
    ship(returned)
    request = create_request(
        shopper=shopper, suborder_id=returned.pk, quantities={line.pk: 1}, reason="not_wanted",
        kind="return_and_refund", idempotency_key=key(),
    )  # fmt: skip
    assert not request.instant  # the store checks the goods

    late_shopper, late, _line = simple_paid(price="300.00", quantity=2)  # ¥600 is over no limit now, but
    SubOrder.objects.filter(pk=late.pk).update(ship_by=timezone.now() - datetime.timedelta(hours=1))
    assert cancel_overdue(shopper=late_shopper, suborder_id=late.pk, idempotency_key=key()).instant

    in_force = policies.preset("current")  # the default draft: Taobao over ¥500 is reviewed
    result = dry_run(in_force, last=10)
    rows = {row.reference: row for row in result.rows}
    assert not rows[returned.number].current.instant and not rows[returned.number].draft.instant
    assert rows[late.number].current.instant and rows[late.number].draft.instant
    assert result.summary["current_instant"] == RefundRequest.objects.filter(instant=True).count() == 1
