"""Drawing the demo feed locally with Pillow (no network, no video encoder): a looping animated WebP that the
player shows like a video, and a poster. ``python -m livestream.media`` rewrites static/live/."""

from __future__ import annotations

import math
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = (480, 270)
FRAMES = 24


def frame(index: int, total: int = FRAMES) -> Image.Image:
    """A studio-like gradient with a pulsing "LIVE" dot and a moving product spotlight."""
    width, height = SIZE
    phase = index / total
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = int(40 + 60 * y / height)
        draw.line([(0, y), (width, y)], fill=(shade + 80, shade // 2 + 20, shade // 3 + 30))
    x = width / 2 + math.sin(phase * 2 * math.pi) * width / 4
    draw.ellipse([x - 60, 110, x + 60, 230], fill=(255, 214, 170))
    draw.rounded_rectangle([x - 30, 140, x + 30, 200], radius=8, fill=(255, 80, 0))
    pulse = 6 + 3 * math.sin(phase * 4 * math.pi)
    draw.ellipse([20 - pulse, 24 - pulse, 20 + pulse, 24 + pulse], fill=(255, 40, 40))
    draw.text((34, 16), "LIVE", fill=(255, 255, 255))
    draw.text((width - 150, height - 28), "Marketplace Live demo", fill=(255, 255, 255))
    return image


def feed_webp() -> bytes:
    frames = [frame(index) for index in range(FRAMES)]
    buffer = BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], duration=120, loop=0, quality=60)
    return buffer.getvalue()


def poster_png(title: str = "") -> bytes:
    image = frame(0)
    if title:
        ImageDraw.Draw(image).text((34, 40), title, fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def write_static(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "demo-feed.webp").write_bytes(feed_webp())
    (directory / "demo-poster.png").write_bytes(poster_png())


if __name__ == "__main__":
    write_static(Path(__file__).resolve().parent.parent / "static" / "live")
