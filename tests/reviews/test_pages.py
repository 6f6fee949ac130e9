"""Pages: 待评价 and the review form, the product page's reviews and Q&A, store DSR, workbench, console."""

import pytest
from django.utils.html import escape

from reviews import dsr
from reviews.models import Review
from reviews.services import reviews as services
from shops import caching
from shops.models import StaffRole, StoreStaff
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.reviews.helpers import DSR, image_file, received_line
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db

FORM = {"rating": "4", "text": "<script>alert(1)</script> 不错", "dsr_description": "5", "dsr_service": "4",
        "dsr_logistics": "5"}  # fmt: skip


def test_pending_tab_form_and_photo(client):
    shopper, _suborder, line = received_line()
    client.force_login(shopper)
    orders = client.get("/orders/").content.decode()
    assert 'href="/reviews/pending/"' in orders
    pending = client.get("/reviews/pending/").content.decode()
    assert f"/reviews/new/{line.pk}/" in pending
    form = client.get(f"/reviews/new/{line.pk}/")
    assert form.status_code == 200 and b'data-testid="review-form"' in form.content
    posted = client.post(f"/reviews/new/{line.pk}/", {**FORM, "photos": [image_file()]})
    assert posted.status_code == 302
    review = Review.objects.get(line=line)
    assert review.rating == 4 and review.photo_count == 1 and review.dsr_service == 4
    assert b"nothing-to-review" in client.get("/reviews/pending/").content
    again = client.get(f"/reviews/new/{line.pk}/")
    assert b"review-refused" in again.content


def test_review_form_shows_a_bad_photo_error(client):
    shopper, _suborder, line = received_line()
    client.force_login(shopper)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
    response = client.post(f"/reviews/new/{line.pk}/", {**FORM, "photos": [fake]})
    assert response.status_code == 200 and b"review-error" in response.content
    assert not Review.objects.exists()


def test_someone_elses_line_is_404(client):
    _shopper, _suborder, line = received_line()
    client.force_login(UserFactory())
    assert client.get(f"/reviews/new/{line.pk}/").status_code == 404


def test_product_reviews_section_escapes_and_filters(client):
    shopper, _suborder, line = received_line()
    services.post_review(shopper=shopper, line_id=line.pk, rating=2, text=FORM["text"], dsr=DSR)
    product = line.sku.product_id
    page = client.get(f"/p/{product}/").content.decode()
    assert f'hx-get="/p/{product}/reviews/"' in page and f'hx-get="/p/{product}/questions/"' in page
    section = client.get(f"/p/{product}/reviews/", HTTP_HX_REQUEST="true").content.decode()
    assert "<script>alert(1)</script>" not in section and escape("<script>alert(1)</script>") in section
    assert 'data-testid="review"' in section
    good = client.get(f"/p/{product}/reviews/?show=good", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="review"' not in good and "no-reviews" in good
    full = client.get(f"/p/{product}/reviews/?show=bad")
    assert full.status_code == 200 and b"<html" in full.content


def test_store_page_shows_dsr_or_not_enough(client):
    store = StoreFactory()
    assert b"dsr-not-enough" in client.get(f"/s/{store.slug}/").content
    for _ in range(10):
        shopper, _suborder, line = received_line(store=store)
        services.post_review(shopper=shopper, line_id=line.pk, rating=5, dsr=DSR)
    dsr.recompute()
    caching.reset()  # the store page is cached for FRAGMENT_TTL seconds; the test does not wait for it
    page = client.get(f"/s/{store.slug}/").content.decode()
    assert 'data-testid="dsr-description"' in page and "5.00" in page


def test_questions_and_answers_pages(client):
    shopper, suborder, line = received_line()
    product = line.sku.product_id
    asker = UserFactory()
    client.force_login(asker)
    client.post(f"/p/{product}/questions/", {"text": "<b>尺码</b>?"})
    section = client.get(f"/p/{product}/questions/", HTTP_HX_REQUEST="true").content.decode()
    assert escape("<b>尺码</b>?") in section
    question = section.split('action="/questions/')[1].split("/")[0]
    client.post(f"/questions/{question}/answer/", {"text": "不能答"})
    client.force_login(shopper)
    client.post(f"/questions/{question}/answer/", {"text": "偏大一码"})
    section = client.get(f"/p/{product}/questions/", HTTP_HX_REQUEST="true").content.decode()
    assert "偏大一码" in section and "不能答" not in section


def test_workbench_reviews_reply_and_scoping(client):
    shopper, suborder, line = received_line()
    review = services.post_review(shopper=shopper, line_id=line.pk, rating=3, text="一般", dsr=DSR)
    dsr.recompute()
    owner = suborder.store.merchant.owner
    client.force_login(owner)
    page = client.get("/seller/reviews/").content.decode()
    assert "seller-dsr" in page and "一般" in page and 'data-testid="reply-form"' in page
    client.post(f"/seller/reviews/{review.pk}/reply/", {"text": "抱歉, 已改进"})
    review.refresh_from_db()
    assert review.reply_text == "抱歉, 已改进"
    other = StoreFactory().merchant.owner
    client.force_login(other)
    assert client.post(f"/seller/reviews/{review.pk}/reply/", {"text": "x"}).status_code == 404
    assert "一般" not in client.get("/seller/reviews/?show=all").content.decode()
    operations = UserFactory()
    StoreStaff.objects.create(store=suborder.store, user=operations, role=StaffRole.OPERATIONS)
    client.force_login(operations)
    assert client.post(f"/seller/reviews/{review.pk}/reply/", {"text": "x"}).status_code == 403


def test_console_experience_csv_and_hiding(client, api_client):
    shopper, suborder, line = received_line()
    review = services.post_review(shopper=shopper, line_id=line.pk, rating=5, text="好", dsr=DSR)
    assert client.get("/ops/experience/").status_code in (302, 403)
    operator = OperatorFactory()
    client.force_login(operator)
    page = client.get("/ops/experience/?days=30").content.decode()
    assert 'data-testid="experience-row"' in page and "<svg" in page
    csv_text = client.get("/ops/experience.csv?days=7").content.decode()
    header, *rows = csv_text.strip().splitlines()
    assert header.startswith("vertical,brand,reviews") and len(rows) == 1
    assert rows[0].split(",")[2] == "1"  # one review
    api_client.force_authenticate(operator)
    report = api_client.get("/api/v1/ops/experience/?days=30").json()
    row = report["rows"][0]
    assert row["reviews"] == 1 and row["good_rate"] == 100.0 and row["paid_suborders"] == 1
    assert row["median_ship_hours"] is not None and row["late_shipment_rate"] is None
    client.post(f"/ops/reviews/{review.pk}/hide/", {"reason": "违规"})
    review.refresh_from_db()
    assert review.hidden


def test_store_and_seller_pages_compare_with_the_vertical(client, api_client):
    from tests.shops.factories import CategoryFactory, ProductFactory, SKUFactory

    vertical = CategoryFactory()
    good, poor = StoreFactory(), StoreFactory()
    for store, score in ((good, 5), (poor, 3)):
        sku = SKUFactory(product=ProductFactory(store=store, category=vertical), stock=50)
        for _ in range(10):
            shopper, _suborder, line = received_line(sku=sku)
            services.post_review(shopper=shopper, line_id=line.pk, rating=score, dsr=dict.fromkeys(DSR, score))
    dsr.recompute()
    caching.reset()
    assert "higher than the vertical average by 25.0%" in client.get(f"/s/{good.slug}/").content.decode()
    assert "lower than the vertical average by 25.0%" in client.get(f"/s/{poor.slug}/").content.decode()
    api_client.force_authenticate(good.merchant.owner)
    overview = api_client.get(f"/api/v1/seller/stores/{good.pk}/dsr/").json()
    assert overview["description"] == 5.0 and overview["count"] == 10 and overview["unreplied"] == 10
    assert overview["vertical_average"] == {"description": 4.0, "service": 4.0, "logistics": 4.0}
    assert overview["versus_vertical"]["service"] == 25.0 and len(overview["trend"]) == 1
    assert api_client.get(f"/api/v1/seller/stores/{poor.pk}/dsr/").status_code == 404
    client.force_login(good.merchant.owner)
    page = client.get("/seller/reviews/").content.decode()
    assert "<svg" in page and 'data-testid="vertical-average"' in page


def test_reviews_section_is_kept_until_a_review_of_the_product_changes(client, django_capture_on_commit_callbacks):
    shopper, suborder, line = received_line()
    product = line.sku.product_id
    with django_capture_on_commit_callbacks(execute=True):
        first = services.post_review(shopper=shopper, line_id=line.pk, rating=5, text="第一条", dsr=DSR)

    def section():
        return client.get(f"/p/{product}/reviews/", HTTP_HX_REQUEST="true").content.decode()

    assert "第一条" in section()
    Review.objects.filter(pk=first.pk).update(text="改过的文字")  # not through the services: no new version
    assert "第一条" in section(), "the rendered section is reused"

    owner = suborder.store.merchant.owner
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(user=owner, review_id=first.pk, text="谢谢惠顾")
    shown = section()
    assert "谢谢惠顾" in shown and "改过的文字" in shown
    with django_capture_on_commit_callbacks(execute=True):
        services.add_followup(shopper=shopper, review_id=first.pk, text="用了一个月还好")
    assert "用了一个月还好" in section()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_hidden(operator=OperatorFactory(), review_id=first.pk, hidden=True, reason="spam")
    assert 'data-testid="review"' not in section()
