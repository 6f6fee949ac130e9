"""Photos: real images only (Pillow), at most 5 MB each, at most six; stored resized under MEDIA_ROOT."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reviews.models import Review, ReviewPhoto
from tests.reviews.helpers import DSR, image_file, received_line

pytestmark = pytest.mark.django_db


def multipart(line, photos, **extra):
    return {"line": line.pk, "rating": 5, "text": "有图", "dsr_description": DSR["description"],
            "dsr_service": DSR["service"], "dsr_logistics": DSR["logistics"], "photos": photos, **extra}  # fmt: skip


def test_photos_are_stored_resized(api_client, media_root):
    shopper, _suborder, line = received_line()
    api_client.force_authenticate(shopper)
    big = image_file("big.jpg", size=(3000, 1500), fmt="JPEG")
    response = api_client.post("/api/v1/reviews/", multipart(line, [big, image_file()]), format="multipart")
    assert response.status_code == 201, response.content
    assert len(response.json()["photos"]) == 2
    photo = ReviewPhoto.objects.filter(review__line=line).order_by("position").first()
    assert (photo.width, photo.height) == (1280, 640)
    stored = media_root / photo.image.name
    assert stored.exists()
    with Image.open(stored) as saved:
        assert saved.format == "JPEG" and saved.size == (1280, 640)
    listed = api_client.get(f"/api/v1/products/{line.sku.product_id}/reviews/?show=photos").json()["results"]
    assert len(listed) == 1


def test_dsr_as_a_json_string_in_multipart(api_client):
    shopper, _suborder, line = received_line()
    api_client.force_authenticate(shopper)
    data = {"line": line.pk, "rating": 4, "dsr": '{"description": 5, "service": 5, "logistics": 4}',
            "photos": [image_file()]}  # fmt: skip
    assert api_client.post("/api/v1/reviews/", data, format="multipart").status_code == 201


def test_not_an_image_is_refused(api_client, media_root):
    shopper, _suborder, line = received_line()
    api_client.force_authenticate(shopper)
    fake = SimpleUploadedFile("cat.jpg", b"<?php echo 'hi'; ?>" * 10, content_type="image/jpeg")
    response = api_client.post("/api/v1/reviews/", multipart(line, [fake]), format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "not_an_image"
    assert "cat.jpg" in response.json()["detail"]
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()


def test_truncated_image_is_refused(api_client):
    shopper, _suborder, line = received_line()
    api_client.force_authenticate(shopper)
    whole = image_file("cut.png", size=(200, 200)).read()
    cut = SimpleUploadedFile("cut.png", whole[: len(whole) // 2], content_type="image/png")
    response = api_client.post("/api/v1/reviews/", multipart(line, [cut]), format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "not_an_image"


def test_too_big_is_refused(api_client):
    shopper, _suborder, line = received_line()
    api_client.force_authenticate(shopper)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3)).save(buffer, format="BMP")
    assert buffer.tell() > 5 * 1024 * 1024
    huge = SimpleUploadedFile("huge.bmp", buffer.getvalue(), content_type="image/bmp")
    response = api_client.post("/api/v1/reviews/", multipart(line, [huge]), format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "photo_too_large"
    assert not Review.objects.exists()


def test_too_many_is_refused(api_client):
    shopper, _suborder, line = received_line()
    api_client.force_authenticate(shopper)
    photos = [image_file(f"p{i}.png") for i in range(7)]
    response = api_client.post("/api/v1/reviews/", multipart(line, photos), format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "too_many_photos"
    assert not Review.objects.exists()
