"""A store takes part in at most one cross-store campaign at a time: an overlapping enrolment is refused (service,
workbench, API), concurrent enrolments cannot both pass, and the console shows overlaps when creating a campaign."""

import datetime

import pytest
from django.utils import timezone

from marketplace.api import DomainError
from promotions.models import CampaignEnrollment
from promotions.services import campaigns
from tests.accounts.factories import OperatorFactory
from tests.orders.helpers import run_threads
from tests.promotions.factories import CampaignFactory
from tests.shops.factories import TmallStoreFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/promotions"


def days(n):
    return timezone.now() + datetime.timedelta(days=n)


def test_an_overlapping_enrolment_is_refused_and_a_later_one_allowed():
    store = TmallStoreFactory()
    double11 = CampaignFactory(name="双11", starts_at=days(-1), ends_at=days(5))
    new_year = CampaignFactory(name="元旦", starts_at=days(3), ends_at=days(10))
    later = CampaignFactory(name="春节", starts_at=days(6), ends_at=days(12))
    campaigns.enroll(by=None, campaign=double11, store=store)
    with pytest.raises(DomainError, match="双11") as refused:
        campaigns.enroll(by=None, campaign=new_year, store=store)
    assert refused.value.code == "campaign_overlap"
    campaigns.enroll(by=None, campaign=later, store=store)
    assert set(CampaignEnrollment.objects.filter(store=store).values_list("campaign__name", flat=True)) == {
        "双11",
        "春节",
    }
    # another store is not affected
    campaigns.enroll(by=None, campaign=new_year, store=TmallStoreFactory())


def test_api_answers_400_json_and_workbench_shows_the_message(api_client, client):
    store = TmallStoreFactory()
    first = CampaignFactory(name="双11")
    second = CampaignFactory(name="元旦")
    campaigns.enroll(by=None, campaign=first, store=store)

    api_client.force_authenticate(store.merchant.owner)
    response = api_client.post(f"{API}/stores/{store.pk}/campaigns/{second.pk}/enroll/")
    assert response.status_code == 400
    assert response.json()["code"] == "campaign_overlap" and "双11" in response.json()["detail"]

    client.force_login(store.merchant.owner)
    page = client.post("/seller/promotions/campaigns/", {"campaign": second.pk, "action": "enroll"}, follow=True)
    assert "双11" in page.content.decode()
    assert not CampaignEnrollment.objects.filter(campaign=second).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_in_overlapping_campaigns_cannot_both_pass():
    store = TmallStoreFactory()
    rivals = [CampaignFactory(), CampaignFactory()]
    results, errors = run_threads(2, lambda i: campaigns.enroll(by=None, campaign=rivals[i], store=store).pk)
    assert errors == []
    assert sorted(results, key=str).count("campaign_overlap") == 1
    assert CampaignEnrollment.objects.filter(store=store).count() == 1


def test_the_console_shows_overlapping_campaigns_when_creating_one(client):
    store = TmallStoreFactory()
    running = CampaignFactory(name="双11", starts_at=days(-1), ends_at=days(5))
    CampaignFactory(name="春节", starts_at=days(20), ends_at=days(25))
    campaigns.enroll(by=None, campaign=running, store=store)
    client.force_login(OperatorFactory())
    fmt = "%Y-%m-%dT%H:%M"
    form = {"name": "元旦", "starts_at": days(3).strftime(fmt), "ends_at": days(10).strftime(fmt),
            "every": "300.00", "off": "50.00", "platform_share": "0", "is_active": "on", "action": "preview"}  # fmt: skip
    page = client.post("/ops/promotions/campaigns/new/", form).content.decode()
    assert 'data-testid="overlapping-campaigns"' in page
    section = page.split('data-testid="overlapping-campaigns"')[1].split("</section>")[0]
    assert "双11" in section and "春节" not in section


def test_the_workbench_shows_the_platform_share_as_a_percentage(client):
    from decimal import Decimal

    store = TmallStoreFactory()
    CampaignFactory(platform_share=Decimal("0.40"))
    client.force_login(store.merchant.owner)
    page = client.get("/seller/promotions/campaigns/").content.decode()
    assert "platform funds 40% of it" in page and "0.40" not in page


def test_moving_a_campaign_onto_another_of_its_stores_is_refused(api_client):
    """Editing dates (or switching a campaign back on) must not put a store in two overlapping campaigns either."""
    from django.core.exceptions import ValidationError

    from promotions.models import Campaign

    store = TmallStoreFactory()
    double11 = CampaignFactory(name="双11", starts_at=days(-1), ends_at=days(5))
    new_year = CampaignFactory(name="元旦", starts_at=days(6), ends_at=days(10))
    campaigns.enroll(by=None, campaign=double11, store=store)
    campaigns.enroll(by=None, campaign=new_year, store=store)
    operator = OperatorFactory()

    def data(campaign, **changes):
        fields = {field: getattr(campaign, field) for field in campaigns.CAMPAIGN_FIELDS}
        return fields | changes

    with pytest.raises(ValidationError) as refused:
        campaigns.save_campaign(by=operator, data=data(new_year, starts_at=days(3)), instance=new_year)
    assert "双11" in str(refused.value.message_dict["starts_at"]) and store.name in str(refused.value)
    assert Campaign.objects.get(pk=new_year.pk).starts_at > double11.ends_at

    # a store that is in only one of them does not stop the edit
    campaigns.save_campaign(by=operator, data=data(new_year, ends_at=days(11)), instance=new_year)

    # switched off, the campaign may move; switching it back on over the other is refused
    campaigns.save_campaign(by=operator, data=data(new_year, is_active=False, starts_at=days(3)), instance=new_year)
    new_year.refresh_from_db()
    with pytest.raises(ValidationError):
        campaigns.save_campaign(by=operator, data=data(new_year, is_active=True), instance=new_year)

    api_client.force_authenticate(operator)
    response = api_client.patch(f"{API}/campaigns/{new_year.pk}/", {"is_active": True}, format="json")
    assert response.status_code == 400 and "双11" in str(response.json())
    assert not Campaign.objects.get(pk=new_year.pk).is_active
