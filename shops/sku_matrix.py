"""SKU selection by attribute (颜色 / 尺码 ... as button groups), pure: no database.

A product's SKUs are laid out on axes (one per attribute name, values in the order they first appear). A value is
offered when some SKU with stock has it together with the values already chosen on the *other* axes, so a sold-out
combination can never be picked, while switching a value on the same axis stays possible. SKUs whose attributes do
not share the same names fall back to one axis of their labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Option:
    sku_id: int
    values: tuple[str, ...]  # one per axis
    price: Decimal
    stock: int  # units that can be bought (delivery or pickup)


@dataclass(frozen=True)
class Matrix:
    axes: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]  # per axis, in first-seen order
    options: tuple[Option, ...]

    def option(self, values: tuple[str, ...]) -> Option | None:
        return next((option for option in self.options if option.values == values), None)

    def by_sku(self, sku_id: int | None) -> Option | None:
        return next((option for option in self.options if option.sku_id == sku_id), None)


def build(skus: list[tuple[int, dict, str, Decimal, int]], fallback_axis: str) -> Matrix:
    """``skus``: (id, attributes, label, price, stock) in page order."""
    names = [tuple(attributes.keys()) for _id, attributes, _label, _price, _stock in skus]
    shared = names[0] if names and names[0] and all(set(n) == set(names[0]) for n in names) else None
    if shared is None:
        axes = (fallback_axis,)
        options = tuple(Option(pk, (label,), price, stock) for pk, _attributes, label, price, stock in skus)
    else:
        axes = shared
        options = tuple(
            Option(pk, tuple(str(attributes[name]) for name in axes), price, stock)
            for pk, attributes, _label, price, stock in skus
        )
    values = tuple(tuple(dict.fromkeys(option.values[index] for option in options)) for index in range(len(axes)))
    return Matrix(axes, values, options)


def available(matrix: Matrix, axis: int, value: str, chosen: tuple[str | None, ...]) -> bool:
    """Can ``value`` be picked on ``axis`` given the values chosen on the other axes?"""
    for option in matrix.options:
        if option.stock <= 0 or option.values[axis] != value:
            continue
        if all(other == axis or chosen[other] in (None, option.values[other]) for other in range(len(matrix.axes))):
            return True
    return False


def states(matrix: Matrix, chosen: tuple[str | None, ...]) -> list[tuple[str, list[tuple[str, bool, bool]]]]:
    """Per axis: (name, [(value, available, selected), ...]) for rendering the button groups."""
    return [
        (name, [(value, available(matrix, index, value, chosen), chosen[index] == value) for value in values])
        for index, (name, values) in enumerate(zip(matrix.axes, matrix.values, strict=True))
    ]


def as_json(matrix: Matrix) -> dict:
    """What the page's script needs to follow the choice (prices as strings: money is never a float)."""
    return {
        "axes": list(matrix.axes),
        "options": [
            {"sku": o.sku_id, "values": list(o.values), "price": f"{o.price:.2f}", "stock": o.stock}
            for o in matrix.options
        ],
    }
