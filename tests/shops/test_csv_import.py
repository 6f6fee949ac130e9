"""CSV import runs in a real Celery worker: all-or-nothing per file, every bad row reported with its line."""

import time

import pytest

from shops import importer, services
from shops.models import SKU, ImportJob, Product, StockLevel
from tests.shops.factories import StoreFactory, make_product

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "product_ref,title,title_en,description,category,sku_code,attributes,price,stock\n"


def wait_for(job: ImportJob, timeout: float = 60) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"import {job.pk} still {job.status}")


@pytest.fixture
def dresses():
    return services.save_category(name="连衣裙", name_en="Dresses", slug="dresses")


def test_a_good_file_imports_every_product_with_its_skus(celery_worker, dresses, client):
    store = StoreFactory()
    content = HEADER + (
        "D1,碎花连衣裙,Floral dress,夏季新款,dresses,FD-S,尺码=S,199.00,5\n"
        "D1,碎花连衣裙,Floral dress,夏季新款,dresses,FD-M,尺码=M,209.00,3\n"
        ",纯色连衣裙,Plain dress,,dresses,PD-1,,99,0\n"
    )
    job = wait_for(importer.create_job(store=store, user=store.merchant.owner, filename="ok.csv", content=content))
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert (job.products_created, job.skus_created) == (2, 3)
    floral = Product.objects.get(store=store, title="碎花连衣裙")
    assert str(floral.min_price) == "199.00"
    assert StockLevel.objects.get(sku__code="FD-S", outlet=None).quantity == 5
    assert SKU.objects.get(code="FD-M").attributes == {"尺码": "M"}
    client.force_login(store.merchant.owner)
    page = client.get(f"/seller/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    assert "2 products and 3 SKUs imported." in page.content.decode()
    assert "hx-trigger" not in page.content.decode()  # polling stops when finished


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_line(celery_worker, dresses):
    store = StoreFactory()
    make_product(store, title="已有")
    taken = SKU.objects.get(store=store).code
    content = HEADER + (
        "A,好的,Good,,dresses,OK-1,,10,1\n"  # line 2: fine
        "B,负价格,Bad,,dresses,BAD-1,,-5,1\n"  # line 3
        "C,无类目,Bad,,nowhere,BAD-2,,5,1\n"  # line 4
        f"D,重复,Bad,,dresses,{taken},,5,1\n"  # line 5
        "E,文件内重复,Bad,,dresses,OK-1,,5,1\n"  # line 6
        "F,坏库存,Bad,,dresses,BAD-3,,5,-2\n"  # line 7
        "G,,Bad,,dresses,BAD-4,,5,1\n"  # line 8
        "H,坏属性,Bad,,dresses,BAD-5,颜色,5,1\n"  # line 9
        "I,多列,Bad,,dresses,BAD-6,,5,1,extra\n"  # line 10
    )
    job = wait_for(importer.create_job(store=store, user=store.merchant.owner, filename="bad.csv", content=content))
    assert job.status == ImportJob.Status.FAILED
    assert [error["line"] for error in job.errors] == [3, 4, 5, 6, 7, 8, 9, 10]
    reasons = " | ".join(error["reason"] for error in job.errors)
    for expected in ("negative", "Unknown category", "already used", "also on line 2", "Stock cannot be negative",
                     "title is empty", "Attributes must look like", "more cells"):  # fmt: skip
        assert expected in reasons
    assert list(Product.objects.filter(store=store).values_list("title", flat=True)) == ["已有"]


def test_missing_columns_fail_fast_on_line_one(celery_worker):
    store = StoreFactory()
    job = wait_for(importer.create_job(store=store, user=store.merchant.owner, filename="x.csv",
                                       content="name,price\nfoo,1\n"))  # fmt: skip
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["line"] == 1 and "category" in job.errors[0]["reason"]


def test_a_large_file_shows_progress_and_a_second_run_changes_nothing(celery_worker, dresses, client):
    store = StoreFactory()
    rows = "".join(f",商品{n},Item {n},,dresses,BULK-{n},,{n % 50 + 1},1\n" for n in range(1500))
    job = importer.create_job(store=store, user=store.merchant.owner, filename="big.csv", content=HEADER + rows)
    client.force_login(store.merchant.owner)
    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = client.get(f"/seller/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
        seen.add(page.count("hx-trigger"))
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.3)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert 1 in seen  # the page polled while the worker ran
    assert Product.objects.filter(store=store).count() == 1500
    importer.run(job.pk)  # a redelivered task must not import twice
    assert Product.objects.filter(store=store).count() == 1500
