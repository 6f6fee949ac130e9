import pytest
from django.core.management import call_command

from refunds.models import RefundPolicyVersion, RefundRequest
from settlement.models import CommissionRate

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_policy_rates_and_refunds_and_is_idempotent():
    call_command("seed_demo")
    call_command("seed_demo")
    assert RefundPolicyVersion.objects.filter(status="published").count() == 1
    assert CommissionRate.objects.count() == 2
    statuses = sorted(RefundRequest.objects.values_list("status", flat=True))
    assert statuses == [RefundRequest.Status.PENDING_REVIEW, RefundRequest.Status.REFUNDED]
