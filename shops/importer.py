"""Bulk CSV product import: every row is checked first, then the whole file is written in one transaction.

Format (UTF-8, header row; see the workbench import page):
    product_ref,title,title_en,description,category,sku_code,attributes,price,stock
Rows with the same non-empty ``product_ref`` are SKUs of one product (the first row's product fields win);
an empty product_ref makes the row a product of its own. ``category`` is a category slug, ``attributes`` is
``颜色=红; 尺码=M``, ``stock`` goes to the online warehouse.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from shops import services
from shops.lock_objects import locked_import_job
from shops.models import SKU, Category, ImportJob, StockLevel, StockPool

COLUMNS = ["product_ref", "title", "title_en", "description", "category", "sku_code", "attributes", "price", "stock"]
REQUIRED = ["title", "category", "sku_code", "price"]
MAX_ROWS = 50_000
PROGRESS_EVERY = 50


def progress_key(job_id: int) -> str:
    return f"shops:import:{job_id}:progress"


def progress(job: ImportJob) -> dict:
    """Live progress (the worker writes it to the cache while its transaction is still open)."""
    live = cache.get(progress_key(job.pk)) or {}
    total = live.get("total", job.total_rows)
    done = live.get("done", job.processed_rows)
    if job.is_finished:
        done = job.total_rows if job.status == ImportJob.Status.SUCCEEDED else done
    return {
        "status": job.status if job.is_finished else live.get("status", job.status),
        "total_rows": total,
        "processed_rows": done,
        "percent": int(done * 100 / total) if total else (100 if job.is_finished else 0),
    }


def _report(job_id: int, status: str, done: int, total: int) -> None:
    cache.set(progress_key(job_id), {"status": status, "done": done, "total": total}, 3600)


def parse_rows(content: str) -> tuple[list[tuple[int, dict]], list[dict]]:
    """(line number, row) pairs and header errors. Line numbers count the header as line 1."""
    reader = csv.DictReader(io.StringIO(content))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [{"line": 1, "reason": _("Missing columns: %(names)s") % {"names": ", ".join(missing)}}]
    reader.fieldnames = header
    rows = []
    for row in reader:
        line = reader.line_num
        if None in row:
            rows.append((line, {"__error__": _("This row has more cells than the header.")}))
            continue
        rows.append((line, {key: (value or "").strip() for key, value in row.items()}))
    if not rows:
        return [], [{"line": 1, "reason": _("The file has no product rows.")}]
    if len(rows) > MAX_ROWS:
        return [], [{"line": 1, "reason": _("At most %(n)s rows per file.") % {"n": MAX_ROWS}}]
    return rows, []


def validate(store, rows, on_progress: Callable[[int], None] = lambda done: None) -> tuple[list[dict], list[dict]]:
    """Check every row; return (products to create, errors). Errors name the line and the reason."""
    categories = {c.slug: c for c in Category.objects.all()}
    existing_codes = set(SKU.objects.filter(store=store).values_list("code", flat=True))
    seen_codes: dict[str, int] = {}
    products: dict[str, dict] = {}
    errors: list[dict] = []
    for index, (line, row) in enumerate(rows, start=1):
        try:
            if "__error__" in row:
                raise DomainError(row["__error__"])
            sku = _validate_row(row, categories, existing_codes, seen_codes, line)
            ref = row.get("product_ref") or f"__line_{line}"
            product = products.setdefault(
                ref,
                {
                    "line": line,
                    "title": row["title"],
                    "title_en": row.get("title_en", ""),
                    "description": row.get("description", ""),
                    "category": categories[row["category"]],
                    "skus": [],
                },
            )
            product["skus"].append(sku)
        except DomainError as error:
            errors.append({"line": line, "reason": error.message})
        if index % PROGRESS_EVERY == 0:
            on_progress(index)
    return list(products.values()), errors


def _validate_row(row, categories, existing_codes, seen_codes, line) -> dict:
    for name in REQUIRED:
        if not row.get(name):
            raise DomainError(_("%(column)s is empty.") % {"column": name})
    if len(row["title"]) > 200:
        raise DomainError(_("title is longer than 200 characters."))
    if row["category"] not in categories:
        raise DomainError(_("Unknown category %(slug)s.") % {"slug": row["category"]})
    code = row["sku_code"]
    if len(code) > 64:
        raise DomainError(_("SKU code is too long (64 characters at most)."))
    if code in existing_codes:
        raise DomainError(_("SKU code %(code)s is already used in this store.") % {"code": code})
    if code in seen_codes:
        raise DomainError(_("SKU code %(code)s is also on line %(line)s.") % {"code": code, "line": seen_codes[code]})
    seen_codes[code] = line
    return {
        "code": code,
        "price": services.parse_price(row["price"]),
        "attributes": services.parse_attributes(row.get("attributes", "")),
        "stock": services.parse_quantity(row["stock"]) if row.get("stock") else 0,
    }


def run(job_id: int) -> ImportJob:
    """The worker's job: validate the whole file, then write it all in one transaction or nothing."""
    job = ImportJob.objects.select_related("store").get(pk=job_id)
    if job.is_finished:
        return job  # a redelivered task must not import twice
    rows, errors = parse_rows(job.content)
    job.total_rows = len(rows)
    job.status = ImportJob.Status.VALIDATING
    job.save(update_fields=["total_rows", "status"])
    _report(job.pk, ImportJob.Status.VALIDATING, 0, len(rows))
    products, row_errors = validate(
        job.store, rows, lambda done: _report(job.pk, ImportJob.Status.VALIDATING, done // 2, len(rows))
    )
    errors += row_errors
    if errors:
        return _finish(job, ImportJob.Status.FAILED, errors=errors, processed=len(rows))
    try:
        created, skus = _write(job, products, len(rows))
    except DomainError as error:  # e.g. a SKU code taken by a concurrent edit after validation
        return _finish(job, ImportJob.Status.FAILED, errors=[{"line": 0, "reason": error.message}], processed=0)
    return _finish(job, ImportJob.Status.SUCCEEDED, processed=len(rows), products=created, skus=skus)


def _write(job: ImportJob, products: list[dict], total: int) -> tuple[int, int]:
    job.status = ImportJob.Status.WRITING
    job.save(update_fields=["status"])
    sku_count = 0
    with transaction.atomic():
        # Lock the job row: a second delivery of the same task waits here and then sees it finished.
        locked = locked_import_job(job)
        if locked.is_finished:
            raise DomainError(_("This import already ran."))
        for product in products:
            skus = product.pop("skus")
            created = services.save_product(
                store=job.store,
                category=product["category"],
                title=product["title"],
                title_en=product["title_en"],
                description=product["description"],
                index_now=True,  # already on a worker: searchable as soon as the import commits
            )
            for spec in skus:
                sku = services.save_sku(product=created, code=spec["code"], price=spec["price"],
                                        attributes=spec["attributes"])  # fmt: skip
                StockLevel.objects.filter(sku=sku, outlet__isnull=True, pool=StockPool.ONLINE).update(
                    quantity=spec["stock"]
                )
                sku_count += 1
                if sku_count % PROGRESS_EVERY == 0:  # every row is one SKU: the second half of the bar
                    _report(job.pk, ImportJob.Status.WRITING, total // 2 + sku_count // 2, total)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.SUCCEEDED, products_created=len(products), skus_created=sku_count
        )
    return len(products), sku_count


def _finish(job: ImportJob, status: str, *, errors=None, processed: int, products: int = 0, skus: int = 0):
    job.status = status
    job.errors = errors or []
    job.processed_rows = processed
    job.products_created = products
    job.skus_created = skus
    job.finished_at = timezone.now()
    job.save()
    cache.delete(progress_key(job.pk))
    return job


def create_job(*, store, user, filename: str, content: str) -> ImportJob:
    """Store the file and queue the worker (after commit, so the worker sees the row)."""
    from shops import tasks

    if not content.strip():
        raise DomainError(_("The file is empty."), code="empty_file")
    job = ImportJob.objects.create(store=store, created_by=user, filename=filename[:200], content=content)
    transaction.on_commit(lambda: tasks.import_products.delay(job.pk))
    return job
