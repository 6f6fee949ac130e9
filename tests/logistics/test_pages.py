"""Pages: the service card on the product page, cart and order; the workbench card; the console catalogue and
holidays; the shopper's tracking timeline with the auto-receive date; the carrier list on the ship form."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from logistics.services import late, tracking
from refunds.models import RefundRequest
from shops import services as shop_services
from shops.models import Category
from shops.promises import PlatformHoliday, ServiceCard, ServiceCatalogue
from tests.accounts.factories import OperatorFactory
from tests.logistics.helpers import paid_suborder, ship
from tests.orders.helpers import sku_in
from tests.shops.factories import CategoryFactory, ProductFactory, SKUFactory, StoreFactory

pytestmark = pytest.mark.django_db


def test_product_page_shows_badges_and_the_vertical_exclusion(client):
    store = StoreFactory()
    shop_services.set_service_card(store, ship_within_hours=24, return_shipping_insurance=True)
    sku = sku_in(store)
    page = client.get(reverse("shops:product", args=[sku.product_id])).content.decode()
    assert 'data-testid="service-panel"' in page and 'data-testid="badge-returns"' in page
    assert 'data-testid="badge-insurance"' in page

    fresh = CategoryFactory()
    ServiceCatalogue.current().return_excluded_verticals.add(Category.objects.get(pk=fresh.vertical_id or fresh.pk))
    excluded = SKUFactory(product=ProductFactory(store=store, category=fresh), stock=3)
    page = client.get(reverse("shops:product", args=[excluded.product_id])).content.decode()
    assert 'data-testid="badge-returns"' not in page
    detail = client.get(f"/api/v1/products/{excluded.product_id}/").json()
    assert detail["service_card"]["no_reason_return_days"] == 0


def test_product_page_says_when_parcels_move_after_a_platform_holiday(client):
    today = timezone.localdate()
    PlatformHoliday.objects.create(name="春节", starts_on=today, ends_on=today + datetime.timedelta(days=6))
    sku = sku_in()
    page = client.get(reverse("shops:product", args=[sku.product_id])).content.decode()
    assert 'data-testid="ships-after"' in page
    assert (today + datetime.timedelta(days=7)).isoformat() in page


def test_product_page_warns_of_a_holiday_that_starts_before_an_order_placed_now_is_due_to_ship(client):
    today = timezone.localdate()
    store = StoreFactory()
    shop_services.set_service_card(store, ship_within_hours=48, return_shipping_insurance=False)
    sku = sku_in(store)
    far = PlatformHoliday.objects.create(name="国庆", starts_on=today + datetime.timedelta(days=10),
                                         ends_on=today + datetime.timedelta(days=16))  # fmt: skip
    page = client.get(reverse("shops:product", args=[sku.product_id])).content.decode()
    assert 'data-testid="holiday-ahead"' not in page and 'data-testid="ships-after"' not in page

    soon = PlatformHoliday.objects.create(name="春节", starts_on=today + datetime.timedelta(days=2),
                                          ends_on=today + datetime.timedelta(days=8))  # fmt: skip
    page = client.get(reverse("shops:product", args=[sku.product_id])).content.decode()
    assert 'data-testid="holiday-ahead"' in page
    assert soon.starts_on.isoformat() in page and (soon.ends_on + datetime.timedelta(days=1)).isoformat() in page
    assert far.starts_on.isoformat() not in page

    with time_machine.travel(datetime.datetime.combine(soon.starts_on, datetime.time(12)), tick=False):
        page = client.get(reverse("shops:product", args=[sku.product_id])).content.decode()
    assert 'data-testid="ships-after"' in page and 'data-testid="holiday-ahead"' not in page


def test_workbench_service_card_saves_and_refuses_what_the_catalogue_does_not_offer(client):
    store = StoreFactory()
    client.force_login(store.merchant.owner)
    url = reverse("shops:seller_service_card")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"ship_within_hours": "36", "no_reason_returns": "on"})
    assert bad.status_code == 200 and not ServiceCard.objects.filter(store=store).exists()
    past = client.post(url, {"ship_within_hours": "24", "presale_ship_date": "2020-01-01"})
    assert past.status_code == 200 and "future" in past.content.decode()
    assert client.post(url, {"ship_within_hours": "72", "return_shipping_insurance": "on"}).status_code == 302
    card = ServiceCard.objects.get(store=store)
    assert card.ship_within_hours == 72 and card.return_shipping_insurance and not card.no_reason_returns


def test_console_edits_the_catalogue_and_declares_holidays(client):
    client.force_login(OperatorFactory())
    url = reverse("shops:ops_service_catalogue")
    assert client.get(url).status_code == 200
    form = {"ship_within_choices": "24, 48", "presale_max_days": "30", "return_insurance_cap": "20.00",
            "late_compensation_rate": "0.100", "late_compensation_cap": "30.00"}  # fmt: skip
    assert client.post(url, form).status_code == 302
    catalogue = ServiceCatalogue.current()
    assert catalogue.ship_within_choices == [24, 48] and str(catalogue.late_compensation_cap) == "30.00"
    today = timezone.localdate()
    client.post(reverse("shops:ops_holiday_create"), {"name": "春节", "starts_on": today + datetime.timedelta(days=1),
                                                      "ends_on": today + datetime.timedelta(days=7)})  # fmt: skip
    client.post(
        reverse("shops:ops_holiday_create"), {"name": "old", "starts_on": "2020-01-01", "ends_on": "2020-01-02"}
    )
    assert list(PlatformHoliday.objects.values_list("name", flat=True)) == ["春节"]


def test_console_pages_are_for_operators_only(client):
    client.force_login(StoreFactory().merchant.owner)
    assert client.get(reverse("shops:ops_service_catalogue")).status_code in (302, 403)
    assert client.get("/api/v1/ops/service-catalogue/").status_code == 403


def test_order_page_shows_ship_by_tracking_and_the_auto_receive_date(client):
    shopper, suborder, _line = paid_suborder()
    client.force_login(shopper)
    url = reverse("orders:order_detail", args=[suborder.order.number])
    page = client.get(url).content.decode()
    assert 'data-testid="ship-by"' in page and 'data-testid="service-badges"' in page
    ship(suborder)
    suborder.refresh_from_db()
    parcel = suborder.sandbox_parcel
    for step in range(5):
        body = tracking.sandbox_payload(parcel, step, suborder.shipped_at + datetime.timedelta(hours=step + 1))
        assert tracking.deliver(body, tracking.signed_headers(body)).status_code == 200
    page = client.get(url).content.decode()
    assert page.count('data-testid="tracking-event"') == 5
    assert 'data-testid="delivered-at"' in page and 'data-testid="auto-receive-at"' in page
    suborder.refresh_from_db()
    assert timezone.localtime(suborder.auto_receive_at()).strftime("%Y-%m-%d") in page


def test_ship_form_offers_the_carrier_list_and_refuses_others(client):
    _shopper, suborder, _line = paid_suborder()
    client.force_login(suborder.store.merchant.owner)
    page = client.get(reverse("orders:seller_order_detail", args=[suborder.pk])).content.decode()
    assert 'list="carriers"' in page and "<datalist" in page
    bad = client.post(reverse("orders:seller_ship", args=[suborder.pk]), {"carrier": "Pigeon", "tracking_number": "1"})
    assert bad.status_code == 400


def test_cart_shows_each_stores_badges(client):
    sku = sku_in()
    client.post("/cart/items/", {"sku": sku.pk, "quantity": 1})
    page = client.get(reverse("orders:cart")).content.decode()
    assert 'data-testid="service-badges"' in page


def test_sandbox_carrier_button_reports_the_next_step_for_the_owner_only(client):
    shopper, suborder, _line = paid_suborder()
    ship(suborder)
    url = reverse("logistics:sandbox_advance", args=[suborder.pk])
    client.force_login(StoreFactory().merchant.owner)
    assert client.post(url).status_code == 404
    client.force_login(shopper)
    page = client.get(reverse("orders:order_detail", args=[suborder.order.number])).content.decode()
    assert 'data-testid="sandbox-advance"' in page
    assert client.post(url).status_code == 302
    assert list(suborder.tracking_events.values_list("status", flat=True)) == ["picked_up"]


def test_workbench_lists_late_shipments_with_the_count(client):
    _shopper, suborder, _line = paid_suborder(price="100.00")
    late.compensate(suborder.pk, now=suborder.ship_by + datetime.timedelta(minutes=1))
    client.force_login(suborder.store.merchant.owner)
    page = client.get(reverse("logistics:seller_late_shipments")).content.decode()
    assert suborder.number in page and 'data-testid="late-count">1<' in page


def test_the_order_page_offers_the_overdue_cancel_only_after_the_deadline(client):
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        shopper, suborder, _line = paid_suborder(price="100.00")
        client.force_login(shopper)
        url = reverse("orders:order_detail", args=[suborder.order.number])
        assert 'data-testid="cancel-overdue"' not in client.get(url).content.decode()
        clock.move_to(suborder.ship_by + datetime.timedelta(minutes=10))
        late.detect_late_shipments()
        page = client.get(url).content.decode()
        assert 'data-testid="cancel-overdue"' in page and 'data-testid="late-compensation"' in page
        response = client.post(reverse("refunds:cancel_overdue", args=[suborder.pk]), {"idempotency_key": "k-1"})
        assert response.status_code == 302
    refund = RefundRequest.objects.get()
    assert refund.instant and refund.status == RefundRequest.Status.APPROVED and refund.amount == suborder.payable
