"""Row locks on shops' tables, each kind in pk order.

Stock levels come last in the project's lock order (written down in orders.lock_objects): an order's transaction
locks its sub-orders, coupons and stock draws first, then the stock levels. The store-administration locks (a store,
a brand authorization, a store's owners, an import job) are each taken alone, with no other lock held; campaign
enrolment and campaign edits take the stores before the campaign (promotions.services.campaigns).
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from shops.models import BrandAuthorization, ImportJob, StaffRole, StockLevel, Store, StoreStaff


def locked_stock_rows(condition: Q) -> list[StockLevel]:
    """The stock levels matching ``condition``, every row locked in one statement in pk order (the global stock lock
    order); each with ``outlet_active`` and ``product_id`` annotated (joined rows are read, not locked)."""
    rows = (
        StockLevel.objects.select_for_update(of=("self",))
        .filter(condition)
        .annotate(outlet_active=F("outlet__is_active"), product_id=F("sku__product_id"))
        .order_by("pk")
    )
    return list(rows)


def locked_stock_level(*, sku, outlet, pool: str) -> StockLevel | None:
    """The stock level of ``sku`` at one location in one pool, locked (None if it has none yet)."""
    return StockLevel.objects.select_for_update().filter(sku=sku, outlet=outlet, pool=pool).first()


def locked_store(store: Store) -> Store:
    return Store.objects.select_for_update().get(pk=store.pk)


def locked_stores_for_enrolment(store_ids) -> None:
    """Store rows, in pk order, against a concurrent campaign enrolment (which takes ``locked_store``). FOR NO KEY
    UPDATE: it waits for an enrolment but not for checkouts, whose sub-order inserts only key-share the store."""
    list(Store.objects.select_for_update(no_key=True).filter(pk__in=store_ids).order_by("pk").values_list("pk"))


def locked_brand_authorization(authorization: BrandAuthorization) -> BrandAuthorization:
    return BrandAuthorization.objects.select_for_update().select_related("store").get(pk=authorization.pk)


def locked_owners(store_id: int) -> QuerySet[StoreStaff]:
    """The owners of a store, locked, so two removals at once cannot leave the store without one."""
    return StoreStaff.objects.select_for_update().filter(store_id=store_id, role=StaffRole.OWNER).order_by("pk")


def locked_import_job(job: ImportJob) -> ImportJob:
    return ImportJob.objects.select_for_update().get(pk=job.pk)


def locked_service_card(store: Store):
    """The store's service card, locked (None before its first save); taken alone, like the other store locks."""
    from shops.promises import ServiceCard

    return ServiceCard.objects.select_for_update().filter(store=store).first()


def locked_service_catalogue():
    from shops.promises import ServiceCatalogue

    return ServiceCatalogue.objects.select_for_update().get(pk=ServiceCatalogue.current().pk)
