"""Server-rendered SVG line charts (no JavaScript, no CDN): one or more series over days, values 0..top."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 200, 32
COLOURS = ["#e8590c", "#3b5bdb", "#2b8a3e", "#ae3ec9", "#0b7285", "#c92a2a", "#5f3dc4", "#e67700"]


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    points: str  # "x,y x,y ..." for <polyline>; segments with no value are skipped
    last: str


@dataclass(frozen=True)
class LineChart:
    lines: list[Line]
    first_label: str
    last_label: str
    top_label: str
    bottom_label: str
    empty: bool
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD


def line_chart(days: list, series: dict[str, list], top: float, bottom: float = 0.0, unit: str = "") -> LineChart:
    """``series``: name -> values aligned with ``days`` (None = no data that day)."""
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(len(days) - 1, 1)
    span = (top - bottom) or 1.0
    lines = []
    for index, (name, values) in enumerate(series.items()):
        coords = []
        for position, value in enumerate(values):
            if value is None:
                continue
            x = PAD + position * step
            y = PAD + inner_h - (float(value) - bottom) / span * inner_h
            coords.append(f"{x:.1f},{y:.1f}")
        known = [value for value in values if value is not None]
        if coords:
            lines.append(Line(name, COLOURS[index % len(COLOURS)], " ".join(coords), f"{known[-1]}{unit}"))
    return LineChart(
        lines,
        f"{days[0]:%m-%d}" if days else "",
        f"{days[-1]:%m-%d}" if days else "",
        f"{top:g}{unit}",
        f"{bottom:g}{unit}",
        not lines,
    )
