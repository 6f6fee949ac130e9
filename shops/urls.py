import os

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from shops.views import ops, seller, seller_shipping, storefront

app_name = "shops"
urlpatterns = [
    # storefront
    path("", storefront.home, name="home"),
    path("c/<slug:slug>/", storefront.category_page, name="category"),
    path("p/<int:pk>/", storefront.product_page, name="product"),
    path("s/<slug:slug>/", storefront.store_page, name="store"),
    path("search/", storefront.search_page, name="search"),
    # workbench
    path("seller/", seller.seller_dashboard, name="seller_dashboard"),
    path("seller/switch/", seller.seller_switch, name="seller_switch"),
    path("seller/stores/new/", seller.store_create, name="seller_store_create"),
    path("seller/products/", seller.product_list, name="seller_products"),
    path("seller/products/new/", seller.product_create, name="seller_product_create"),
    path("seller/products/<int:pk>/", seller.product_edit, name="seller_product"),
    path("seller/products/<int:pk>/skus/new/", seller.sku_save, name="seller_sku_create"),
    path("seller/products/<int:pk>/skus/<int:sku_pk>/", seller.sku_save, name="seller_sku"),
    path("seller/products/<int:pk>/stock/", seller.stock_save, name="seller_stock"),
    path("seller/outlets/", seller.outlet_list, name="seller_outlets"),
    path("seller/outlets/new/", seller.outlet_edit, name="seller_outlet_create"),
    path("seller/outlets/<int:pk>/", seller.outlet_edit, name="seller_outlet"),
    path("seller/shipping/", seller_shipping.template_list, name="seller_shipping_templates"),
    path("seller/shipping/new/", seller_shipping.template_edit, name="seller_shipping_template_create"),
    path("seller/shipping/<int:pk>/", seller_shipping.template_edit, name="seller_shipping_template"),
    path("seller/shipping/<int:pk>/delete/", seller_shipping.template_delete, name="seller_shipping_template_delete"),
    path("seller/closures/", seller.closures, name="seller_closures"),
    path("seller/closures/<int:pk>/end/", seller.closure_end, name="seller_closure_end"),
    path("seller/service-card/", seller.service_card, name="seller_service_card"),
    path("seller/staff/", seller.staff, name="seller_staff"),
    path("seller/staff/<int:pk>/remove/", seller.staff_remove, name="seller_staff_remove"),
    path("seller/brand/", seller.brand_authorization, name="seller_brand"),
    path("seller/imports/", seller.imports, name="seller_imports"),
    path("seller/imports/template.csv", seller.import_template, name="seller_import_template"),
    path("seller/imports/<int:pk>/", seller.import_detail, name="seller_import"),
    # console
    path("ops/", ops.ops_dashboard, name="ops_dashboard"),
    path("ops/brand-authorizations/", ops.brand_queue, name="ops_brand_queue"),
    path("ops/brand-authorizations/<int:pk>/decide/", ops.brand_decide, name="ops_brand_decide"),
    path("ops/merchants/", ops.merchants, name="ops_merchants"),
    path("ops/stores/", ops.stores, name="ops_stores"),
    path("ops/stores/<int:pk>/status/", ops.store_status, name="ops_store_status"),
    path("ops/service-catalogue/", ops.service_catalogue, name="ops_service_catalogue"),
    path("ops/holidays/", ops.holiday_create, name="ops_holiday_create"),
    path("ops/holidays/<int:pk>/remove/", ops.holiday_remove, name="ops_holiday_remove"),
]


def bench_hello(request):
    """The baseline of bench/storefront.py: the full middleware stack and nothing else."""
    return HttpResponse("hello")


# bench/checkout.py creates this table (no model, no migration) before it serves the app and drops it afterwards.
BENCH_INSERT_TABLE = "bench_insert_rows"


@csrf_exempt
def bench_insert(request):
    """The baseline of bench/checkout.py: the full middleware stack and one row inserted (committed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_insert_rows (body) VALUES (%s)", [request.body[:200].decode(errors="replace")]
        )
    return HttpResponse("inserted", status=201)


if os.environ.get("BENCH_HELLO") == "1":  # only when the benchmark serves the app
    urlpatterns.append(path("bench/hello/", bench_hello, name="bench_hello"))
    urlpatterns.append(path("bench/insert/", bench_insert, name="bench_insert"))
