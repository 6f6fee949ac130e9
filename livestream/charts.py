"""Inline SVG charts for the workbench (no JavaScript library, no CDN): a line or bar series over time."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.timezone import localtime

WIDTH, HEIGHT, PAD = 600, 180, 28


@dataclass(frozen=True)
class Chart:
    kind: str  # line | bar
    points: list[tuple[float, float]]
    bars: list[tuple[float, float, float, float]]
    max_label: str
    first_label: str
    last_label: str
    empty: bool
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


def chart(series: list[tuple], kind: str = "line", money: bool = False) -> Chart:
    """``series`` is [(datetime, number)] in time order."""
    if not series:
        return Chart(kind, [], [], "0", "", "", True)
    values = [Decimal(str(value or 0)) for _, value in series]
    top = max(values) or Decimal(1)
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(len(series) - 1, 1)
    points, bars = [], []
    bar_w = max(min(inner_w / len(series) * 0.7, 40), 2)
    for index, value in enumerate(values):
        x = PAD + index * step if len(series) > 1 else PAD + inner_w / 2
        y = PAD + inner_h - float(value / top) * inner_h
        points.append((x, y))
        bars.append((x - bar_w / 2, y, bar_w, PAD + inner_h - y))
    label = f"¥{top:.2f}" if money else f"{int(top)}"
    return Chart(
        kind, points, bars, label, f"{localtime(series[0][0]):%H:%M}", f"{localtime(series[-1][0]):%H:%M}", False
    )
