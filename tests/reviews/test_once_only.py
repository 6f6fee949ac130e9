"""Once-only under concurrency: one review per line, one follow-up, one reply, however many arrive at once."""

import pytest

from reviews.models import Review
from reviews.services import reviews as services
from tests.orders.helpers import run_threads
from tests.reviews.helpers import DSR, received_line

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_posts_of_one_line_make_one_review():
    shopper, _suborder, line = received_line()

    def attempt(index):
        review = services.post_review(shopper=shopper, line_id=line.pk, rating=1 + index % 5, text=f"{index}", dsr=DSR)
        return review.pk

    results, errors = run_threads(6, attempt)
    assert errors == []
    created = [result for result in results if isinstance(result, int)]
    assert len(created) == 1 and sorted(set(results) - set(created)) == ["already_reviewed"]
    assert Review.objects.filter(line=line).count() == 1


def test_concurrent_followups_and_replies_happen_once():
    shopper, suborder, line = received_line()
    review = services.post_review(shopper=shopper, line_id=line.pk, rating=5, dsr=DSR)
    owner = suborder.store.merchant.owner

    followups, errors = run_threads(
        5, lambda i: services.add_followup(shopper=shopper, review_id=review.pk, text=f"f{i}").pk
    )
    assert errors == [] and followups.count(review.pk) == 1 and followups.count("already_followed_up") == 4
    replies, errors = run_threads(5, lambda i: services.reply(user=owner, review_id=review.pk, text=f"r{i}").pk)
    assert errors == [] and replies.count(review.pk) == 1 and replies.count("already_replied") == 4
