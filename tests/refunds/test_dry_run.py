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
