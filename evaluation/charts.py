"""Chart geometry, drawn as SVG by the templates (``templates/evaluation/includes``).

Pure: lists of numbers in, frozen dataclasses of coordinates out, in a fixed viewBox
that the browser scales to the width of the screen (390 px phones included). Every
coordinate is rounded to 0.1 here, and the templates print them with localization off
(a comma would break the SVG).

Why SVG drawn on the server rather than a vendored chart library (Chart.js and the
like): the pages need only bars, lines and a histogram; each has its numbers in a table
under it anyway; a server-drawn chart needs no script, so it shows on a slow phone at
once, prints in the Sekda's report as it looks on screen, is tested by reading the
HTML, and adds nothing to vendor and keep up to date under ``static/``.
"""

import math
from dataclasses import dataclass

WIDTH = 400


def nice_ceiling(value: float) -> float:
    """A round upper end for an axis: 1, 2, 4, 5 or 10 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 5, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    x: float
    y: float
    width: float
    height: float
    tone: str  # CSS class suffix: "", "low", "ok", "high", "muted"

    @property
    def middle(self) -> float:
        """The baseline of a text line centred on the bar."""
        return round(self.y + self.height / 2 + 4, 1)

    @property
    def end(self) -> float:
        return round(self.x + self.width, 1)


@dataclass(frozen=True)
class HBarChart:
    """Horizontal bars, one row per item, labels on the left, values after the bar."""

    bars: list[Bar]
    height: float
    ticks: list[Tick]
    label_width: float
    plot_width: float
    band: tuple[float, float] | None  # x and width of a shaded range, or None
    width: float = WIDTH

    @property
    def axis_y(self) -> float:
        return self.height - 16

    @property
    def label_x(self) -> float:
        return self.label_width - 6

    @property
    def tick_text_y(self) -> float:
        return self.height - 4


def hbar_chart(items, *, maximum=None, band=None, row=22, label_width=150) -> HBarChart:
    """``items``: (label, value, text, tone). ``band``: a (low, high) range of values
    shaded behind the bars (the 35-40 % target)."""
    plot_width = WIDTH - label_width - 50
    top = maximum or nice_ceiling(max([v for _l, v, _t, _c in items] + [band[1] if band else 0]))
    scale = plot_width / top if top else 0
    bars = [
        Bar(
            label=label if len(label) <= 24 else label[:23] + "…",
            text=text,
            x=label_width,
            y=index * row + 4,
            width=round(max(0.0, value) * scale, 1),
            height=row - 8,
            tone=tone,
        )
        for index, (label, value, text, tone) in enumerate(items)
    ]
    ticks = [
        Tick(round(label_width + top * f * scale, 1), _number(top * f))
        for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    shaded = (
        (round(label_width + band[0] * scale, 1), round((band[1] - band[0]) * scale, 1))
        if band
        else None
    )
    return HBarChart(bars, len(items) * row + 18, ticks, label_width, plot_width, shaded)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Series:
    name: str
    tone: str
    points: list[Point]  # only the known values; a gap leaves a point out

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class LineChart:
    series: list[Series]
    xticks: list[Tick]
    yticks: list[Tick]
    band: tuple[float, float] | None  # y and height of a shaded range, or None
    left: float
    right: float
    top: float
    bottom: float
    height: float = 220
    width: float = WIDTH

    @property
    def label_y(self) -> float:
        return self.bottom + 16

    @property
    def plot_width(self) -> float:
        return round(self.right - self.left, 1)


def line_chart(labels, series, *, band=None, maximum=None, suffix=" %") -> LineChart:
    """``labels``: the x axis (months); ``series``: (name, tone, values) with ``None``
    for an unknown value. ``band``: a (low, high) range of values to shade."""
    left, right, top, bottom = 50.0, WIDTH - 22.0, 10.0, 190.0
    known = [v for _n, _t, values in series for v in values if v is not None]
    upper = maximum or nice_ceiling(max(known + [band[1] if band else 0, 1]))
    step = (right - left) / max(1, len(labels) - 1)

    def y(value):
        return round(bottom - (bottom - top) * max(0.0, min(value, upper)) / upper, 1)

    drawn = [
        Series(
            name,
            tone,
            [
                Point(round(left + i * step, 1), y(v), f"{_number(v)}{suffix}")
                for i, v in enumerate(values)
                if v is not None
            ],
        )
        for name, tone, values in series
    ]
    xticks = [Tick(round(left + i * step, 1), label) for i, label in enumerate(labels)]
    yticks = [Tick(y(upper * f), f"{_number(upper * f)}{suffix}") for f in (0, 0.25, 0.5, 0.75, 1)]
    shaded = (y(band[1]), round(y(band[0]) - y(band[1]), 1)) if band else None
    return LineChart(drawn, xticks, yticks, shaded, left, right, top, bottom)


@dataclass(frozen=True)
class Column:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def count_y(self) -> float:
        return self.y - 3


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    yticks: list[Tick]
    bottom: float
    left: float
    height: float = 200
    width: float = WIDTH

    @property
    def label_y(self) -> float:
        return self.bottom + 14


def histogram(values: list[int]) -> list[tuple[int, int]]:
    """(value, how many) for every whole value from the smallest to the largest."""
    if not values:
        return []
    counts = {v: 0 for v in range(min(values), max(values) + 1)}
    for value in values:
        counts[value] += 1
    return sorted(counts.items())


def column_chart(items) -> ColumnChart:
    """Vertical columns, e.g. a histogram: ``items`` (label, count)."""
    left, right, top, bottom = 30.0, WIDTH - 5.0, 10.0, 175.0
    upper = nice_ceiling(max([c for _l, c in items] + [1]))
    slot = (right - left) / max(1, len(items))
    columns = [
        Column(
            str(label),
            count,
            round(left + i * slot + slot * 0.1, 1),
            round(bottom - (bottom - top) * count / upper, 1),
            round(slot * 0.8, 1),
            round((bottom - top) * count / upper, 1),
        )
        for i, (label, count) in enumerate(items)
    ]
    yticks = [
        Tick(round(bottom - (bottom - top) * f, 1), _number(upper * f))
        for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    return ColumnChart(columns, yticks, bottom, left)


def _number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}".replace(".", ",")
