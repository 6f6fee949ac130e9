"""Row locks on reviews' tables (the project's lock order: orders/lock_objects.py). A review row is locked alone
while an operator hides or shows it; no other lock is held with it."""

from __future__ import annotations

from reviews.models import Review


def locked_review(review_id: int) -> Review | None:
    return Review.objects.select_for_update().filter(pk=review_id).first()
