"""Review photos: each upload must be a real image (Pillow decodes it), at most 5 MB, at most six per review.
Accepted images are re-encoded as JPEG no larger than PHOTO_MAX_SIDE on a side, which also drops EXIF data
(locations) and anything appended to the file."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.api import DomainError
from reviews.rules import MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_MAX_SIDE


@dataclass(frozen=True)
class PreparedPhoto:
    content: ContentFile
    width: int
    height: int


def prepare(uploads: list) -> list[PreparedPhoto]:
    """Check every upload before anything is saved; raise DomainError naming the first bad file."""
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > MAX_PHOTOS:
        raise DomainError(_("At most %(n)d photos per review.") % {"n": MAX_PHOTOS}, code="too_many_photos")
    return [_prepare_one(upload) for upload in uploads]


def _prepare_one(upload) -> PreparedPhoto:
    name = getattr(upload, "name", "") or "photo"
    size = getattr(upload, "size", None)
    if size is None or size > MAX_PHOTO_BYTES:
        raise DomainError(_("%(name)s is larger than 5 MB.") % {"name": name}, code="photo_too_large")
    try:
        upload.seek(0)
        raw = upload.read(MAX_PHOTO_BYTES + 1)
        if len(raw) > MAX_PHOTO_BYTES:
            raise DomainError(_("%(name)s is larger than 5 MB.") % {"name": name}, code="photo_too_large")
        with Image.open(io.BytesIO(raw)) as probe:
            probe.verify()  # structure check; the image must be reopened to decode it
        with Image.open(io.BytesIO(raw)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
            width, height = image.size
    except DomainError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise DomainError(
            _("%(name)s is not an image we can read (JPEG, PNG, GIF or WebP).") % {"name": name},
            code="not_an_image",
        ) from exc
    return PreparedPhoto(ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), width, height)
