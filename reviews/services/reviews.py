"""Posting a review, its follow-up, the store's reply and operator hiding. Every rule is checked here."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders.models import OrderLine, SubOrder
from orders.selectors import refunded_units
from reviews import photos as photo_rules
from reviews import rules, section_cache, signals
from reviews.lock_objects import locked_review
from reviews.models import Review, ReviewModeration, ReviewPhoto
from shops.permissions import Capability, stores_for

log = logging.getLogger(__name__)

RECEIVED_STATES = (SubOrder.State.RECEIVED, SubOrder.State.COMPLETED)
DSR_KEYS = ("description", "service", "logistics")


def _score(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DomainError(_("%(field)s must be a whole number from 1 to 5.") % {"field": field}, code="invalid_score")
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 5:
        raise DomainError(_("%(field)s must be a whole number from 1 to 5.") % {"field": field}, code="invalid_score")
    return number


def _text(value, *, required: bool = False) -> str:
    if value is not None and not isinstance(value, str):
        raise DomainError(_("Text must be a string."), code="invalid_text")
    text = (value or "").strip()
    if len(text) > rules.MAX_TEXT:
        raise DomainError(_("At most %(n)d characters.") % {"n": rules.MAX_TEXT}, code="text_too_long")
    if required and not text:
        raise DomainError(_("Write something first."), code="text_required")
    return text


def reviewable_line(shopper, line_id) -> OrderLine:
    """The shopper's own order line, or a 404 that looks the same as a line that does not exist."""
    line = (
        OrderLine.objects.select_related("suborder", "sku").filter(pk=line_id, suborder__order__shopper=shopper).first()
        if str(line_id).isdigit()
        else None
    )
    if line is None:
        raise DomainError(_("No such order line."), code="not_found", status_code=404)
    return line


def refusal(line: OrderLine, now=None) -> DomainError | None:
    """Why the buyer cannot review this line now (None: they can)."""
    now = now or timezone.now()
    suborder = line.suborder
    if suborder.state not in RECEIVED_STATES or suborder.received_at is None:
        return DomainError(_("You can review an item once you have received it."), code="not_received")
    if hasattr(line, "review"):
        return DomainError(_("You have already reviewed this item."), code="already_reviewed")
    if now > rules.review_deadline(suborder.received_at):
        return DomainError(_("Reviews close 15 days after receipt."), code="review_window_closed")
    if refunded_units([line.suborder_id]).get(line.pk):  # any paid refund on the line
        return DomainError(_("This item was refunded, so it cannot be reviewed."), code="line_refunded")
    return None


def post_review(*, shopper, line_id, rating, text="", dsr=None, anonymous=False, photos=()) -> Review:
    line = reviewable_line(shopper, line_id)
    problem = refusal(line)
    if problem:
        raise problem
    rating = _score(rating, _("Rating"))
    if not isinstance(dsr, dict):
        raise DomainError(_("Score the store on description, service and logistics."), code="invalid_score")
    scores = {key: _score(dsr.get(key), key) for key in DSR_KEYS}
    text = _text(text)
    prepared = photo_rules.prepare(list(photos))
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            review = Review.objects.create(
                line=line,
                product_id=line.sku.product_id,
                store_id=line.suborder.store_id,
                shopper=shopper,
                rating=rating,
                text=text,
                anonymous=bool(anonymous),
                dsr_description=scores["description"],
                dsr_service=scores["service"],
                dsr_logistics=scores["logistics"],
                photo_count=len(prepared),
            )
            for position, photo in enumerate(prepared):
                row = ReviewPhoto(review=review, width=photo.width, height=photo.height, position=position)
                row.image.save(photo.content.name, photo.content, save=False)
                saved_files.append(row.image.name)
                row.save()
            store_id = review.store_id
            transaction.on_commit(lambda: enqueue_dsr(store_id))
            section_cache.product_reviews_changed(review.product_id)
    except IntegrityError as exc:
        _remove_files(saved_files)
        # The unique constraint on line: a concurrent post of the same line won.
        raise DomainError(_("You have already reviewed this item."), code="already_reviewed") from exc
    except Exception:
        _remove_files(saved_files)
        raise
    return review


def _remove_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def enqueue_dsr(store_id: int) -> None:
    from reviews.tasks import recompute_store_dsr

    try:
        recompute_store_dsr.delay(store_id)
    except Exception:
        log.exception("could not enqueue the DSR of store %s; the beat recomputes it", store_id)


def own_review(shopper, review_id) -> Review:
    review = Review.objects.filter(pk=review_id, shopper=shopper).first() if str(review_id).isdigit() else None
    if review is None:
        raise DomainError(_("No such review."), code="not_found", status_code=404)
    return review


def add_followup(*, shopper, review_id, text) -> Review:
    review = own_review(shopper, review_id)
    text = _text(text, required=True)
    now = timezone.now()
    if now > rules.followup_deadline(review.created_at):
        raise DomainError(_("Follow-ups close 180 days after the review."), code="followup_window_closed")
    # One conditional UPDATE: of two concurrent follow-ups exactly one matches followup_at IS NULL.
    updated = Review.objects.filter(pk=review.pk, followup_at__isnull=True).update(followup_text=text, followup_at=now)
    if not updated:
        raise DomainError(_("You have already added a follow-up."), code="already_followed_up")
    section_cache.product_reviews_changed(review.product_id)
    review.refresh_from_db()
    return review


def store_review(user, review_id) -> Review:
    """A review of a store where ``user`` may reply; another merchant's review is a 404."""
    stores = stores_for(user, Capability.REPLY_REVIEWS)
    review = Review.objects.filter(pk=review_id, store__in=stores).first() if str(review_id).isdigit() else None
    if review is None:
        raise DomainError(_("No such review."), code="not_found", status_code=404)
    return review


def reply(*, user, review_id, text) -> Review:
    review = store_review(user, review_id)
    text = _text(text, required=True)
    updated = Review.objects.filter(pk=review.pk, reply_at__isnull=True).update(
        reply_text=text, reply_at=timezone.now(), reply_by=user
    )
    if not updated:
        raise DomainError(_("This review already has a reply."), code="already_replied")
    section_cache.product_reviews_changed(review.product_id)
    review.refresh_from_db()
    transaction.on_commit(lambda: signals.review_replied.send(sender=Review, review=review))
    return review


@transaction.atomic
def set_hidden(*, operator, review_id, hidden: bool, reason: str) -> Review:
    if not (operator and operator.is_staff):
        raise DomainError(_("Only operators can hide reviews."), code="forbidden", status_code=403)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), code="missing_reason")
    review = locked_review(review_id) if str(review_id).isdigit() else None
    if review is None:
        raise DomainError(_("No such review."), code="not_found", status_code=404)
    if review.hidden != hidden:
        review.hidden = hidden
        review.save(update_fields=["hidden"])
        section_cache.product_reviews_changed(review.product_id)
    ReviewModeration.objects.create(
        review=review,
        action=ReviewModeration.Action.HIDDEN if hidden else ReviewModeration.Action.SHOWN,
        reason=reason[:300],
        actor=operator,
    )
    return review
