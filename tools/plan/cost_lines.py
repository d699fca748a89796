"""A cost estimate's lines: what each counts, the product shown, the amount in cents."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class CostLine:
    item: str
    quantity: str
    monthly_usd: Decimal


@dataclass(frozen=True)
class CostEstimate:
    region: str
    lines: tuple[CostLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.monthly_usd for line in self.lines), Decimal("0.00"))


def total_line(estimate_: CostEstimate) -> str:
    """The closing line of every cost report."""
    return f"Estimated monthly cost: ${estimate_.total:.2f}"


_CENT = Decimal("0.01")


def money(*factors: float) -> Decimal:
    """The product of ``factors`` in exact decimal arithmetic, rounded half-up to cents
    (binary floats hold 2.675 as 2.67499..., which ``round`` takes down to 2.67)."""
    product = Decimal(1)
    for factor in factors:
        product *= Decimal(str(factor))
    return product.quantize(_CENT, rounding=ROUND_HALF_UP)


def shown_number(number: float) -> str:
    """``number`` as a line shows it: 730, 0.5, 0.04045 (no trailing zeros)."""
    return str(number) if isinstance(number, int) else f"{number:g}"


def priced(item: str, *quantities: tuple[float, str], price: float) -> CostLine:
    """``quantities`` (value, unit) times ``price``, shown as the product that gives the amount."""
    shown = [f"{shown_number(value)} {unit}".rstrip() for value, unit in quantities]
    return CostLine(
        item,
        " x ".join([*shown, f"${shown_number(price)}"]),
        money(*(value for value, _ in quantities), price),
    )
