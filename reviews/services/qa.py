"""问大家: shoppers ask about a product; past buyers of it and the store's staff answer."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders.models import OrderLine, SubOrder
from reviews.models import Answer, Question
from shops.models import Product
from shops.permissions import Capability, stores_for

BOUGHT_STATES = (SubOrder.State.SHIPPED, SubOrder.State.RECEIVED, SubOrder.State.COMPLETED)


def _clean(text, limit: int) -> str:
    if text is not None and not isinstance(text, str):
        raise DomainError(_("Text must be a string."), code="invalid_text")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write something first."), code="text_required")
    if len(text) > limit:
        raise DomainError(_("At most %(n)d characters.") % {"n": limit}, code="text_too_long")
    return text


def ask(*, shopper, product_id, text) -> Question:
    if not (shopper and shopper.is_authenticated):
        raise DomainError(_("Sign in to ask a question."), code="not_signed_in", status_code=403)
    product = Product.objects.filter(pk=product_id, status=Product.Status.ACTIVE).first()
    if product is None:
        raise DomainError(_("No such product."), code="not_found", status_code=404)
    return Question.objects.create(product=product, asker=shopper, text=_clean(text, 200))


def can_answer(user, question: Question) -> tuple[bool, int | None]:
    """(allowed, store id when answering for the store)."""
    if not (user and user.is_authenticated):
        return False, None
    store_id = question.product.store_id
    if stores_for(user, Capability.REPLY_REVIEWS).filter(pk=store_id).exists():
        return True, store_id
    bought = OrderLine.objects.filter(
        sku__product_id=question.product_id, suborder__order__shopper=user, suborder__state__in=BOUGHT_STATES
    ).exists()
    return bought, None


def answer(*, user, question_id, text) -> Answer:
    question = Question.objects.select_related("product").filter(pk=question_id).first()
    if question is None:
        raise DomainError(_("No such question."), code="not_found", status_code=404)
    allowed, store_id = can_answer(user, question)
    if not allowed:
        raise DomainError(
            _("Only people who bought this product, and the store, can answer."), code="not_a_buyer", status_code=403
        )
    text = _clean(text, 300)
    try:
        with transaction.atomic():
            return Answer.objects.create(question=question, author=user, store_id=store_id, text=text)
    except IntegrityError as exc:
        raise DomainError(_("You have already answered this question."), code="already_answered") from exc
