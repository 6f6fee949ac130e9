"""The segment trend chart: one line per segment over the days, drawn on the server as inline SVG (no JavaScript
library, no CDN). Pure: snapshots in, markup out."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from customers.models import Segment

WIDTH, HEIGHT, PAD_X, PAD_Y = 640, 220, 40, 24
COLOURS = {
    Segment.NEW: "#2f80ed",
    Segment.REGULAR: "#27ae60",
    Segment.HIGH_VALUE: "#f2994a",
    Segment.AT_RISK: "#eb5757",
    Segment.LOST: "#828282",
    Segment.FOLLOWER: "#9b51e0",
}


def trend_svg(snapshots, title: str) -> SafeString:
    """Snapshots (objects with ``day`` and one count attribute per segment), oldest first."""
    if not snapshots:
        return SafeString("")
    top = max(max(getattr(snap, segment.value) for segment in Segment) for snap in snapshots) or 1
    inner_w, inner_h = WIDTH - 2 * PAD_X, HEIGHT - 2 * PAD_Y - 20
    step = inner_w / max(len(snapshots) - 1, 1)

    def xy(index: int, value: int) -> str:
        x = PAD_X + (index * step if len(snapshots) > 1 else inner_w / 2)
        y = PAD_Y + inner_h - value / top * inner_h
        return f"{x:.1f},{y:.1f}"

    parts = [
        format_html(
            '<svg viewBox="0 0 {} {}" role="img" aria-label="{}" class="segment-trend" data-testid="segment-trend">',
            WIDTH,
            HEIGHT,
            title,
        ),  # fmt: skip
        format_html("<title>{}</title>", title),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ccc"/>',
            PAD_X,
            PAD_Y + inner_h,
            PAD_X + inner_w,
            PAD_Y + inner_h,
        ),  # fmt: skip
        format_html('<text x="4" y="{}" font-size="11">{}</text>', PAD_Y + 4, top),
        format_html('<text x="4" y="{}" font-size="11">0</text>', PAD_Y + inner_h),
        format_html(
            '<text x="{}" y="{}" font-size="11">{}</text>', PAD_X, PAD_Y + inner_h + 14, snapshots[0].day.isoformat()
        ),
        format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
            PAD_X + inner_w,
            PAD_Y + inner_h + 14,
            snapshots[-1].day.isoformat(),
        ),  # fmt: skip
    ]
    for position, segment in enumerate(Segment):
        points = " ".join(xy(index, getattr(snap, segment.value)) for index, snap in enumerate(snapshots))
        colour = COLOURS[segment]
        parts.append(
            format_html(
                '<polyline fill="none" stroke="{}" stroke-width="2" points="{}" data-segment="{}"/>',
                colour,
                points,
                segment.value,
            )  # fmt: skip
        )
        legend_x = PAD_X + position * (inner_w / len(Segment))
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" font-size="11">{}</text>',
                round(legend_x),
                HEIGHT - 14,
                colour,
                round(legend_x) + 14,
                HEIGHT - 5,
                str(segment.label),
            )  # fmt: skip
        )
    markup = SafeString("")
    for part in parts:  # every part is format_html output: adding SafeStrings keeps the escaping
        markup += part
    return markup + SafeString("</svg>")
