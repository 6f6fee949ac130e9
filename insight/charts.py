"""Server-rendered SVG charts (no JavaScript): a line chart with an optional second series, and a sparkline."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe


def _points(values, width, height, pad, top):
    top = top or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    return " ".join(
        f"{pad + i * step:.1f},{height - pad - (float(v) / top) * (height - 2 * pad):.1f}" for i, v in enumerate(values)
    )


def line_chart(labels, series: list[tuple[str, list, str]], width=720, height=220, title="") -> str:
    """`series` = [(name, values, css colour)]; labels under the first, middle and last points."""
    if not labels:
        return ""
    top = max((float(v) for _, values, _ in series for v in values), default=0) or 1
    pad = 28
    lines = [
        f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{_points(values, width, height, pad, top)}">'
        f"<title>{escape(name)}</title></polyline>"
        for name, values, colour in series
    ]
    ticks = {0: labels[0], len(labels) // 2: labels[len(labels) // 2], len(labels) - 1: labels[-1]}
    step = (width - 2 * pad) / max(len(labels) - 1, 1)
    text = "".join(
        f'<text x="{pad + i * step:.1f}" y="{height - 6}" font-size="11" text-anchor="middle">{escape(label)}</text>'
        for i, label in ticks.items()
    )
    legend = "".join(
        f'<text x="{pad + 140 * i}" y="14" font-size="12" fill="{colour}">{escape(name)}</text>'
        for i, (name, _, colour) in enumerate(series)
    )
    axis = f'<text x="2" y="{pad}" font-size="11">{top:g}</text>'
    # Every text in the SVG went through escape(); the rest are numbers and fixed markup.
    return mark_safe(  # noqa: S308
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}" '
        f'class="chart">{legend}{axis}{"".join(lines)}{text}</svg>'
    )


def sparkline(values, width=120, height=28) -> str:
    if not values:
        return ""
    top = max(float(v) for v in values) or 1
    # Every text in the SVG went through escape(); the rest are numbers and fixed markup.
    return mark_safe(  # noqa: S308
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="sparkline" aria-hidden="true">'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" '
        f'points="{_points(values, width, height, 2, top)}"/></svg>'
    )
