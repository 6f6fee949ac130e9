"""Customer experience by vertical and brand: the figures from reviews, orders and refunds."""

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from logistics.selectors import late_shipment_figures
from orders.models import SubOrder
from refunds.models import RefundRequest
from refunds.services.requests import create_request
from reviews import experience
from reviews.services import reviews as services
from shops.models import Brand
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.orders.helpers import sku_in
from tests.refunds.helpers import key, paid_order
from tests.reviews.helpers import DSR, received_line
from tests.shops.factories import CategoryFactory, ProductFactory, SKUFactory, StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Vertical names are read in the active language: these tests read the English ones."""
    with translation.override("en"):
        yield


def test_figures_per_vertical_and_brand(api_client):
    vertical = CategoryFactory(name="服装", name_en="Apparel")
    store = StoreFactory()
    sku = SKUFactory(product=ProductFactory(store=store, category=vertical), stock=50)
    for rating in (5, 2):
        shopper, _suborder, line = received_line(sku=sku)
        services.post_review(shopper=shopper, line_id=line.pk, rating=rating, dsr=DSR)
    order, lines, suborder = paid_order((sku, 1))  # paid, not shipped: an instant refund
    refund = create_request(
        shopper=order.shopper, suborder_id=suborder.pk, quantities={lines[sku.pk].pk: 1}, kind="refund_only",
        reason="not_wanted", description="", idempotency_key=key(),
    )  # fmt: skip
    assert refund.instant
    sku_in(stock=5)  # another vertical, no activity
    report = experience.report(7)
    (row,) = [r for r in report.rows if r.vertical_id == vertical.pk]
    data = row.as_dict()
    assert data["vertical"] == "Apparel" and data["brand"] == "TAOBAO"
    assert data["reviews"] == 2 and data["good_rate"] == 50 and data["description"] == 5
    assert data["paid_suborders"] == 3 and data["refunds"] == 1
    assert float(data["refund_rate"]) == pytest.approx(33.3) and data["instant_share"] == 100
    assert data["median_ship_hours"] is not None and data["late_shipment_rate"] is None  # nothing was due yet
    assert RefundRequest.objects.count() == 1
    operator_only = api_client.get("/api/v1/ops/experience/")
    assert operator_only.status_code in (401, 403)
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/v1/ops/experience/").status_code == 403


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=SHANGHAI)
TODAY, YESTERDAY = NOW.date(), NOW.date() - datetime.timedelta(days=1)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def set_times(suborder, **times) -> None:
    SubOrder.objects.filter(pk=suborder.pk).update(**times)


@pytest.fixture
def two_days():
    """Yesterday: two reviewed Taobao sub-orders, one shipped late. Today: a Taobao sub-order refunded on the shelf
    (instant; its deadline never came due) and a Tmall sub-order still unshipped past its deadline."""
    vertical = CategoryFactory(name="美妆", name_en="Beauty")
    taobao = SKUFactory(product=ProductFactory(store=StoreFactory(), category=vertical), stock=50)
    tmall = SKUFactory(product=ProductFactory(store=StoreFactory(brand=Brand.TMALL), category=vertical), stock=50)
    reviewed = []
    with time_machine.travel(at(YESTERDAY, 14), tick=False):
        for rating, dsr in ((5, {"description": 5, "service": 4, "logistics": 5}), (2, {"description": 2, "service": 3, "logistics": 1})):  # fmt: skip
            shopper, suborder, line = received_line(sku=taobao)
            services.post_review(shopper=shopper, line_id=line.pk, rating=rating, dsr=dsr)
            reviewed.append(suborder)
    with time_machine.travel(NOW, tick=False):
        order, lines, refunded = paid_order((taobao, 1))
        create_request(
            shopper=order.shopper, suborder_id=refunded.pk, quantities={lines[taobao.pk].pk: 1}, kind="refund_only",
            reason="not_wanted", description="", idempotency_key=key(),
        )  # fmt: skip
        _order, _lines, unshipped = paid_order((tmall, 1))
    late_one, on_time = reviewed
    set_times(late_one, paid_at=at(YESTERDAY, 8), ship_by=at(YESTERDAY, 10), shipped_at=at(YESTERDAY, 12))
    set_times(on_time, paid_at=at(YESTERDAY, 8), ship_by=at(YESTERDAY, 11), shipped_at=at(YESTERDAY, 10))
    # The instant refund's worker closes the sub-order on the shelf (no worker here: its outcome is written).
    set_times(refunded, paid_at=at(TODAY, 0, 30), ship_by=at(TODAY, 2), state=SubOrder.State.CLOSED)
    set_times(unshipped, paid_at=at(TODAY, 0, 30), ship_by=at(TODAY, 1))
    assert unshipped.shipped_at is None
    return vertical


def test_late_shipments_come_from_logistics_per_deadline_day(two_days):
    figures = late_shipment_figures(at(YESTERDAY, 0), NOW, by_day=True)
    assert sorted((row["brand"], row["bucket"], row["due"], row["late"]) for row in figures) == [
        ("TAOBAO", YESTERDAY, 2, 1),
        ("TMALL", TODAY, 1, 1),
    ]
    assert {row["vertical_id"] for row in figures} == {two_days.pk}
    assert not hasattr(experience, "LATE_SHIPMENT")


def test_every_figure_per_vertical_brand_and_day(two_days):
    report = experience.report(7, now=NOW)
    window = {row.brand: row.as_dict() for row in report.rows if row.vertical_id == two_days.pk}
    taobao = window["TAOBAO"]
    assert (taobao["reviews"], taobao["good_rate"], taobao["description"], taobao["service"], taobao["logistics"]) == (
        2, Decimal("50.0"), Decimal("3.50"), Decimal("3.50"), Decimal("3.00"),
    )  # fmt: skip
    assert (taobao["paid_suborders"], taobao["refunds"], taobao["refund_rate"], taobao["instant_share"]) == (
        3, 1, Decimal("33.3"), Decimal("100.0"),
    )  # fmt: skip
    assert taobao["dispute_rate"] == Decimal("0.0") and taobao["median_ship_hours"] == Decimal("3.0")
    assert (taobao["shipments_due"], taobao["late_shipments"], taobao["late_shipment_rate"]) == (2, 1, Decimal("50.0"))
    tmall = window["TMALL"]
    assert (tmall["reviews"], tmall["paid_suborders"], tmall["refund_rate"], tmall["median_ship_hours"]) == (
        0, 1, Decimal("0.0"), None,
    )  # fmt: skip
    assert (tmall["shipments_due"], tmall["late_shipments"], tmall["late_shipment_rate"]) == (1, 1, Decimal("100.0"))

    days = [(row.day, row.brand) for row in report.per_day if row.vertical_id == two_days.pk]
    assert days == [(TODAY, "TAOBAO"), (TODAY, "TMALL"), (YESTERDAY, "TAOBAO")]  # newest day first
    today_taobao, today_tmall, yesterday = (row.as_dict() for row in report.per_day if row.vertical_id == two_days.pk)
    assert (yesterday["reviews"], yesterday["good_rate"], yesterday["paid_suborders"], yesterday["refund_rate"]) == (
        2, Decimal("50.0"), 2, Decimal("0.0"),
    )  # fmt: skip
    assert yesterday["median_ship_hours"] == Decimal("3.0") and yesterday["late_shipment_rate"] == Decimal("50.0")
    assert (today_taobao["paid_suborders"], today_taobao["refunds"], today_taobao["refund_rate"]) == (
        1, 1, Decimal("100.0"),
    )  # fmt: skip
    assert today_taobao["instant_share"] == Decimal("100.0") and today_taobao["late_shipment_rate"] is None
    assert today_tmall["late_shipment_rate"] == Decimal("100.0") and today_tmall["reviews"] == 0
    # The one-day period keeps only today; the 30-day chart merges the brands of each vertical.
    assert {row.day for row in experience.report(1, now=NOW).per_day} == {TODAY}
    points = {day: (dsr, rate) for day, dsr, rate in report.daily["Beauty"]}
    assert len(report.daily["Beauty"]) == 30
    assert points[YESTERDAY] == (Decimal("3.33"), Decimal("0.0")) and points[TODAY] == (None, Decimal("50.0"))


def test_per_day_figures_on_the_page_in_the_api_and_as_csv(two_days, client, api_client):
    operator = OperatorFactory()
    client.force_login(operator)
    api_client.force_authenticate(operator)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/ops/experience/?days=7").content.decode()
        csv_text = client.get("/ops/experience.csv?days=7&by=day").content.decode()
        data = api_client.get("/api/v1/ops/experience/?days=7").json()
    assert page.count('data-testid="experience-day-row"') == 3 and "2026-03-09" in page
    header, *lines = list(csv.reader(io.StringIO(csv_text)))
    assert header[:3] == ["day", "vertical", "brand"] and header[-1] == "late_shipment_rate"
    assert [line[:3] + [line[-3], line[-2], line[-1]] for line in lines] == [
        ["2026-03-10", "Beauty", "TAOBAO", "0", "0", ""],
        ["2026-03-10", "Beauty", "TMALL", "1", "1", "100.0"],
        ["2026-03-09", "Beauty", "TAOBAO", "2", "1", "50.0"],
    ]
    rows = [row for row in data["per_day"] if row["vertical_id"] == two_days.pk]
    assert [(row["day"], row["brand"], row["late_shipment_rate"]) for row in rows] == [
        ("2026-03-10", "TAOBAO", None), ("2026-03-10", "TMALL", 100.0), ("2026-03-09", "TAOBAO", 50.0),
    ]  # fmt: skip
    assert rows[2]["good_rate"] == 50.0 and rows[2]["description"] == 3.5 and rows[0]["refund_rate"] == 100.0


def test_the_page_names_brands_in_the_readers_language(two_days, client):
    client.force_login(OperatorFactory())
    client.cookies["django_language"] = "zh-hans"
    with time_machine.travel(NOW, tick=False):
        page = client.get("/ops/experience/?days=7").content.decode()
    assert "<td>天猫</td>" in page and "<td>淘宝</td>" in page
    assert ">TMALL<" not in page and ">TAOBAO<" not in page
