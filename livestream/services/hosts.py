"""Hosts: creator profiles, stores' creator policies, and which streams a user may run."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _

from livestream.models import (
    Creator,
    CreatorPolicy,
    Stream,
)
from marketplace.api import DomainError
from shops.models import Store
from shops.permissions import Capability, stores_for

# -- hosts --------------------------------------------------------------------------------------------------------


def creator_for(user) -> Creator | None:
    if not user or not user.is_authenticated:
        return None
    return Creator.objects.filter(user=user, is_active=True).first()


def save_creator_profile(user, *, display_name: str, bio: str = "") -> Creator:
    display_name = (display_name or "").strip()
    if not display_name:
        raise DomainError(_("A creator profile needs a display name."), code="display_name_required")
    creator, _created = Creator.objects.update_or_create(
        user=user, defaults={"display_name": display_name[:80], "bio": (bio or "").strip()[:2000]}
    )
    return creator


def policy_for(store: Store) -> CreatorPolicy:
    return CreatorPolicy.objects.filter(store=store).first() or CreatorPolicy(store=store, allows_creators=False)


def set_creator_policy(store: Store, *, allows_creators: bool, commission_rate, by) -> CreatorPolicy:
    rate = _rate(commission_rate)
    policy, _created = CreatorPolicy.objects.update_or_create(
        store=store, defaults={"allows_creators": bool(allows_creators), "commission_rate": rate, "updated_by": by}
    )
    return policy


def _rate(value) -> Decimal:
    try:
        rate = Decimal(str(value)).quantize(Decimal("0.001"))
    except Exception as exc:
        raise DomainError(_("Enter the commission as a decimal, e.g. 0.1 for 10%."), code="invalid_rate") from exc
    if not Decimal("0") <= rate <= Decimal("0.9"):
        raise DomainError(_("The commission rate must be between 0 and 0.9."), code="invalid_rate")
    return rate


def managed_streams(user):
    """Streams the user may run: store streams of stores where they manage livestreams, and their own as creator."""
    if not user or not user.is_authenticated:
        return Stream.objects.none()
    store_ids = stores_for(user, Capability.MANAGE_LIVESTREAM).values("pk")
    return Stream.objects.filter(store_id__in=store_ids) | Stream.objects.filter(creator__user=user)


def managed_stream(user, pk) -> Stream:
    """The stream if the user may run it, else 404 (never reveal another host's streams)."""
    queryset = Stream.objects.filter(pk__in=managed_streams(user).values("pk"))
    stream = queryset.select_related("store", "creator").filter(pk=pk).first()
    if stream is None:
        raise Http404("No such stream.")
    return stream
