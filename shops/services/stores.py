"""Writes about merchants and stores: opening stores of both brands, Tmall brand authorization, staff, outlets
and holiday closures. Every function checks its rules and raises DomainError; nothing is half-saved."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.api import DomainError
from shops import caching, text_rules
from shops.lock_objects import locked_brand_authorization, locked_owners, locked_store
from shops.models import (
    Brand,
    BrandAuthorization,
    Merchant,
    Outlet,
    StaffRole,
    Store,
    StoreClosure,
    StoreStaff,
)

# --- merchants and stores -------------------------------------------------------------------------------------


def create_merchant(*, owner: User, name: str, kind: str = Merchant.Kind.COMPANY) -> Merchant:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("A merchant needs a name."), code="name_required")
    if text_rules.has_control_characters(name):  # shown beside the store name, so held to the same rule
        raise DomainError(_("A merchant name cannot contain control characters."), code="invalid_name")
    if Merchant.objects.filter(name=name).exists():
        raise DomainError(_("A merchant with this name already exists."), code="duplicate_merchant")
    return Merchant.objects.create(owner=owner, name=name, kind=kind)


def unique_store_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:60] or "store"
    slug, n = base, 1
    while Store.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def check_store_text(name: str, description: str) -> tuple[str, str]:
    """The cleaned name and description, or DomainError saying what is wrong with them."""
    problem = text_rules.store_name_problem(name)
    if problem:
        raise DomainError(problem, code="invalid_name" if (name or "").strip() else "name_required")
    problem = text_rules.store_description_problem(description)
    if problem:
        raise DomainError(problem, code="invalid_description")
    return name.strip(), (description or "").strip()


@transaction.atomic
def create_store(
    *, merchant: Merchant, name: str, brand: str, slug: str = "", description: str = "", self_service: bool = False
) -> Store:
    """A Taobao store opens at once; a Tmall store waits for an approved brand authorization. A store that a user
    opens for themselves (``self_service``: the API, the workbench) while their merchant has no open store yet
    waits for an operator's approval too, whatever its brand: anyone can sign up, so a new seller is looked at
    before shoppers see them."""
    if brand not in Brand.values:
        raise DomainError(_("Brand must be TAOBAO or TMALL."), code="invalid_brand")
    name, description = check_store_text(name, description)
    if brand == Brand.TMALL and merchant.kind != Merchant.Kind.COMPANY:
        raise DomainError(_("Only a company can open a Tmall store."), code="tmall_needs_company")
    slug = slugify(slug) if slug else unique_store_slug(name)
    if Store.objects.filter(slug=slug).exists():
        raise DomainError(_("This store address is taken."), code="duplicate_slug")
    new_seller = self_service and not merchant.stores.filter(status=Store.Status.OPEN).exists()
    status = Store.Status.OPEN if brand == Brand.TAOBAO and not new_seller else Store.Status.PENDING
    store = Store.objects.create(
        merchant=merchant, name=name, slug=slug, brand=brand, status=status, description=description
    )
    StoreStaff.objects.create(store=store, user=merchant.owner, role=StaffRole.OWNER)
    caching.after_write(caching.forget_hidden_stores)
    return store


@transaction.atomic
def open_store(store: Store, *, by_operator: bool = True) -> Store:
    """Open a store. A Tmall store needs an approved brand authorization; only an operator lifts a suspension."""
    store = locked_store(store)
    if store.status == Store.Status.SUSPENDED and not by_operator:
        raise DomainError(_("This store was suspended by the platform; contact an operator."), code="suspended")
    if store.brand == Brand.TMALL and not store.brand_approved():
        raise DomainError(
            _("A Tmall store opens only after an operator approves its brand authorization."),
            code="brand_not_approved",
        )
    if store.status == Store.Status.PENDING and store.brand == Brand.TAOBAO and not by_operator:
        raise DomainError(_("A new seller's first store opens once an operator approves it."), code="awaiting_approval")
    store.status = Store.Status.OPEN
    store.save(update_fields=["status"])
    caching.after_write(caching.forget_hidden_stores)
    return store


def set_store_suspended(store: Store, suspended: bool) -> Store:
    if suspended:
        # A model save, not a queryset update: the audit log records who suspended the store.
        store.status = Store.Status.SUSPENDED
        store.save(update_fields=["status"])
        caching.forget_hidden_stores()
        return store
    return open_store(store)


def update_store(store: Store, *, name: str, description: str) -> Store:
    name, description = check_store_text(name, description)
    store.name, store.description = name, description
    store.save(update_fields=["name", "description"])
    caching.after_write(caching.bump_catalog)
    return store


# --- brand authorization (Tmall) ------------------------------------------------------------------------------


def submit_brand_authorization(*, store: Store, brand_name: str, document=None, document_note: str = ""):
    if store.brand != Brand.TMALL:
        raise DomainError(_("Only Tmall stores need a brand authorization."), code="not_tmall")
    brand_name = (brand_name or "").strip()
    if not brand_name:
        raise DomainError(_("Name the brand you are authorized to sell."), code="brand_name_required")
    if not document and not (document_note or "").strip():
        raise DomainError(
            _("Attach the authorization document or describe it (registration number, issuer, validity)."),
            code="document_required",
        )
    if store.brand_authorizations.filter(status=BrandAuthorization.Status.PENDING).exists():
        raise DomainError(_("This store already has an authorization waiting for review."), code="already_pending")
    authorization = BrandAuthorization(store=store, brand_name=brand_name, document_note=document_note.strip())
    if document:
        authorization.document = document
    authorization.save()
    return authorization


@transaction.atomic
def decide_brand_authorization(authorization: BrandAuthorization, *, operator: User, approve: bool, reason: str):
    """Approve (the Tmall store opens) or reject (a reason is mandatory) a pending authorization."""
    authorization = locked_brand_authorization(authorization)
    reason = (reason or "").strip()
    if authorization.status != BrandAuthorization.Status.PENDING:
        raise DomainError(_("This authorization was already decided."), code="already_decided", status_code=409)
    if not approve and not reason:
        raise DomainError(_("Give the merchant a reason for the rejection."), code="reason_required")
    authorization.status = BrandAuthorization.Status.APPROVED if approve else BrandAuthorization.Status.REJECTED
    authorization.decision_reason = reason
    authorization.decided_by = operator
    authorization.decided_at = timezone.now()
    authorization.save()
    store = authorization.store
    if approve and store.status == Store.Status.PENDING:
        Store.objects.filter(pk=store.pk).update(status=Store.Status.OPEN)
        store.status = Store.Status.OPEN
        caching.after_write(caching.forget_hidden_stores)
    return authorization


# --- staff ----------------------------------------------------------------------------------------------------


def add_staff(*, store: Store, username: str, role: str) -> StoreStaff:
    if role not in StaffRole.values:
        raise DomainError(_("Unknown role."), code="invalid_role")
    user = User.objects.filter(username=(username or "").strip()).first()
    if user is None:
        raise DomainError(_("No user with this username."), code="unknown_user")
    staff, created = StoreStaff.objects.get_or_create(store=store, user=user, defaults={"role": role})
    if not created:
        change_staff_role(staff, role)
    return staff


@transaction.atomic
def change_staff_role(staff: StoreStaff, role: str) -> StoreStaff:
    if role not in StaffRole.values:
        raise DomainError(_("Unknown role."), code="invalid_role")
    if staff.role == StaffRole.OWNER and role != StaffRole.OWNER:
        _keep_an_owner(staff)
    staff.role = role
    staff.save(update_fields=["role"])
    return staff


@transaction.atomic
def remove_staff(staff: StoreStaff) -> None:
    if staff.role == StaffRole.OWNER:
        _keep_an_owner(staff)
    staff.delete()


def _keep_an_owner(staff: StoreStaff) -> None:
    owners = locked_owners(staff.store_id)
    if owners.exclude(pk=staff.pk).count() == 0:
        raise DomainError(_("A store must keep at least one owner."), code="last_owner")


# --- outlets --------------------------------------------------------------------------------------------------

OUTLET_FIELDS = ("name", "address", "latitude", "longitude", "pickup_hours", "is_active")


@transaction.atomic
def save_outlet(*, store: Store, outlet: Outlet | None = None, **fields) -> Outlet:
    if outlet is not None and outlet.store_id != store.pk:
        raise DomainError(_("Outlet not found."), code="not_found", status_code=404)
    outlet = outlet or Outlet(store=store)
    for name in OUTLET_FIELDS:
        if name in fields and fields[name] is not None:
            setattr(outlet, name, fields[name])
    if not (outlet.name or "").strip() or not (outlet.address or "").strip():
        raise DomainError(_("An outlet needs a name and an address."), code="outlet_incomplete")
    try:
        lat, lng = Decimal(str(outlet.latitude)), Decimal(str(outlet.longitude))
    except ArithmeticError:  # decimal.InvalidOperation
        raise DomainError(_("Coordinates must be numbers."), code="invalid_coordinates") from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise DomainError(_("Latitude must be within ±90 and longitude within ±180."), code="invalid_coordinates")
    outlet.latitude, outlet.longitude = lat.quantize(Decimal("0.000001")), lng.quantize(Decimal("0.000001"))
    outlet.save()
    caching.after_write(caching.bump_catalog)
    return outlet


# --- holiday closures (一键打烊) ------------------------------------------------------------------------------


def schedule_closure(*, store: Store, starts_on: datetime.date, ends_on: datetime.date, reason: str = ""):
    """Close the store for a date range (inclusive). Ranking is untouched: see docs/SEARCH.md."""
    if not starts_on or not ends_on:
        raise DomainError(_("Give both the first and the last closed day."), code="dates_required")
    if ends_on < starts_on:
        raise DomainError(_("A closure cannot end before it starts."), code="ends_before_start")
    if ends_on < timezone.localdate():
        raise DomainError(_("This closure would already be over."), code="closure_in_past")
    if (ends_on - starts_on).days > 90:
        raise DomainError(_("A holiday closure lasts 90 days at most."), code="closure_too_long")
    closure = StoreClosure.objects.create(store=store, starts_on=starts_on, ends_on=ends_on, reason=reason.strip())
    caching.after_write(caching.bump_catalog)
    return closure


def close_now(*, store: Store, until: datetime.date, reason: str = "") -> StoreClosure:
    """一键打烊: closed from today until `until`."""
    return schedule_closure(store=store, starts_on=timezone.localdate(), ends_on=until, reason=reason)


def end_closure(closure: StoreClosure) -> None:
    """Reopen early: a running closure ends yesterday, a future one is removed."""
    today = timezone.localdate()
    caching.after_write(caching.bump_catalog)
    if closure.starts_on >= today:
        closure.delete()
        return
    closure.ends_on = max(closure.starts_on, today - datetime.timedelta(days=1))
    closure.save(update_fields=["ends_on"])
