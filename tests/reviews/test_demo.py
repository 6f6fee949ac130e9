import io

import pytest
from django.core.management import call_command

from reviews.models import Answer, Review
from shops.models import StoreRating

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_reviews_once():
    call_command("seed_demo", stdout=io.StringIO())
    reviews = Review.objects.count()
    assert reviews >= 1 and Answer.objects.filter(store__isnull=False).exists()
    assert Review.objects.exclude(reply_at=None).exists()
    assert StoreRating.objects.filter(store__in=Review.objects.values("store")).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert Review.objects.count() == reviews
