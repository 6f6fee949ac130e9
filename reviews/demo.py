"""Demo reviews: bob reviews the lines of his received demo order (one with a reply from the store), asks a
question that the store answers, then the DSR and monthly sales are computed. Idempotent (one review per line,
questions looked up by text). Runs after the orders, payments and refunds demos."""

from __future__ import annotations

from orders.models import OrderLine, SubOrder
from reviews import dsr, sales
from reviews.models import Answer, Question, Review
from reviews.services import reviews as review_services
from shops.models import StaffRole, StoreStaff

TEXTS = [
    (
        5,
        "质量很好，和描述一致，物流也快。Great quality, exactly as described.",
        {"description": 5, "service": 5, "logistics": 4},
    ),
    (4, "不错，包装有点简单。Good, the packaging was a bit plain.", {"description": 4, "service": 5, "logistics": 4}),
    (3, "一般般，尺码偏大。So-so, runs large.", {"description": 3, "service": 4, "logistics": 3}),
]
QUESTION = "这款尺码标准吗？Is the sizing standard?"


def seed(stdout):
    lines = list(
        OrderLine.objects.filter(
            suborder__order__idempotency_key__startswith="demo-",
            suborder__state__in=(SubOrder.State.RECEIVED, SubOrder.State.COMPLETED),
            review__isnull=True,
        )
        .select_related("suborder__order__shopper", "suborder__store")
        .order_by("pk")
    )
    made = 0
    for index, line in enumerate(lines):
        if review_services.refusal(line) is not None:
            continue
        rating, text, scores = TEXTS[index % len(TEXTS)]
        review = review_services.post_review(
            shopper=line.suborder.order.shopper, line_id=line.pk, rating=rating, text=text, dsr=scores,
            anonymous=index % 2 == 1,
        )  # fmt: skip
        made += 1
        if index == 0:
            owner = StoreStaff.objects.filter(store=review.store, role=StaffRole.OWNER).first()
            if owner:
                review_services.reply(user=owner.user, review_id=review.pk, text="感谢亲的支持！Thank you!")
    asked = 0
    first = Review.objects.select_related("shopper", "store").order_by("pk").first()
    if first and not Question.objects.filter(product_id=first.product_id, text=QUESTION).exists():
        question = Question.objects.create(product_id=first.product_id, asker=first.shopper, text=QUESTION)
        owner = StoreStaff.objects.filter(store=first.store, role=StaffRole.OWNER).first()
        if owner:
            Answer.objects.create(
                question=question, author=owner.user, store=first.store, text="标准码，放心拍。Standard sizes."
            )
        asked = 1
    rated = dsr.recompute()
    sold = sales.recompute()
    stdout.write(f"reviews: {made} demo reviews, {asked} question, DSR of {rated} stores, sales of {sold} products")
    return []
