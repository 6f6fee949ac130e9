"""E-invoices: asked for at checkout, issued by the store with a checked PDF, downloaded by buyer and staff only."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from orders.checkout import place_order
from orders.models import Invoice
from shops.models import StaffRole, StoreStaff
from tests.accounts.factories import UserFactory
from tests.orders.helpers import cart_of, shopper_with_address, sku_in
from tests.refunds.helpers import pay

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ordered_with_invoice(**invoice):
    user, address = shopper_with_address()
    sku = sku_in()
    from orders import cart as carts

    carts.add_item(cart_of(user), sku_id=sku.pk, quantity=1, shopper=user)
    order, _ = place_order(
        shopper=user,
        cart=cart_of(user),
        idempotency_key=uuid.uuid4().hex,
        address_id=address.pk,
        invoice=invoice or {"kind": "personal", "title": "张三"},
    )
    return user, order, order.suborders.get()


def upload(content=PDF, name="invoice.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_store_issues_the_pdf_and_only_buyer_and_staff_download_it(api_client, client, settings, tmp_path):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    user, order, suborder = ordered_with_invoice()
    owner = suborder.store.merchant.owner
    api_client.force_authenticate(owner)
    url = f"/api/v1/seller/suborders/{suborder.pk}/invoice/"
    unpaid = api_client.post(url, {"pdf": upload()}, format="multipart")
    assert unpaid.status_code == 409
    pay(order)
    not_pdf = api_client.post(url, {"pdf": upload(b"<html>hello</html>")}, format="multipart")
    assert not_pdf.status_code == 400 and not_pdf.json()["code"] == "invalid_pdf"
    issued = api_client.post(url, {"pdf": upload()}, format="multipart")
    assert issued.status_code == 200, issued.json()
    assert issued.json()["invoice"]["status"] == "issued"
    download = issued.json()["invoice"]["download_url"]
    assert not (tmp_path / "media" / "invoices").exists()  # never under the public /media/
    assert len(list((tmp_path / "private" / "invoices").iterdir())) == 1

    client.force_login(user)
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(owner)
    assert client.get(download).status_code == 200
    clerk = UserFactory()
    StoreStaff.objects.create(store=suborder.store, user=clerk, role=StaffRole.CUSTOMER_SERVICE)
    client.force_login(clerk)
    assert client.get(download).status_code == 200
    client.force_login(sku_in().store.merchant.owner)  # another store's merchant
    assert client.get(download).status_code == 404
    client.force_login(UserFactory())
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 404


def test_another_stores_merchant_cannot_issue_and_no_request_means_404(api_client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    _user, order, suborder = ordered_with_invoice(kind="company", title="某某公司", tax_number="91330100MA2XXXXX1A")
    pay(order)
    api_client.force_authenticate(sku_in().store.merchant.owner)
    url = f"/api/v1/seller/suborders/{suborder.pk}/invoice/"
    assert api_client.post(url, {"pdf": upload()}, format="multipart").status_code == 404
    Invoice.objects.all().delete()
    api_client.force_authenticate(suborder.store.merchant.owner)
    assert api_client.post(url, {"pdf": upload()}, format="multipart").status_code == 404


def test_workbench_upload_marks_issued_and_the_order_page_links_the_pdf(client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    user, order, suborder = ordered_with_invoice()
    pay(order)
    client.force_login(suborder.store.merchant.owner)
    page = client.get(f"/seller/orders/{suborder.pk}/").content.decode()
    assert 'data-testid="invoice-form"' in page and "张三" in page
    bad = client.post(f"/seller/orders/{suborder.pk}/invoice/", {"pdf": upload(b"GIF89a", "x.pdf")}, follow=True)
    assert "not a PDF" in bad.content.decode()
    client.post(f"/seller/orders/{suborder.pk}/invoice/", {"pdf": upload()})
    assert Invoice.objects.get(suborder=suborder).status == "issued"
    client.force_login(user)
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert f'href="/invoices/{suborder.pk}/invoice.pdf"' in html
