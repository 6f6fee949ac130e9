import pytest
from django.core.management import call_command

from customers.models import Customer, Footprint, StoreFollow, TargetedCampaign

pytestmark = pytest.mark.django_db


def test_demo_customers_are_computed_and_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Customer.objects.count(), StoreFollow.objects.count(), TargetedCampaign.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Customer.objects.count(), StoreFollow.objects.count(), TargetedCampaign.objects.count()) == counts
    assert Customer.objects.filter(shopper__username="alice", orders__gt=0).exists()
    assert StoreFollow.objects.filter(shopper__username="alice").count() == 2
    assert Footprint.objects.filter(shopper__username="bob").exists()
    assert TargetedCampaign.objects.filter(status="draft").exists()
