"""A cost line shows the product that gives its amount, computed in decimals, half-up to cents."""

from __future__ import annotations

from decimal import Decimal

from tools.plan.cost_lines import CostEstimate, CostLine, money, priced, total_line


def test_money_rounds_half_up_where_binary_floats_would_round_down():
    assert round(2.675, 2) == 2.67  # the float is a little below 2.675
    assert money(2.675) == Decimal("2.68")
    assert money(730, 0.0225) == Decimal("16.43")  # 16.425


def test_a_priced_line_shows_each_quantity_with_its_unit_then_the_price():
    line = priced("ALB capacity units", (0.5, "LCU"), (730, "h"), price=0.008)
    assert line == CostLine("ALB capacity units", "0.5 LCU x 730 h x $0.008", Decimal("2.92"))


def test_a_quantity_without_a_unit_shows_the_number_alone():
    assert priced("NAT gateways", (1, ""), (730, "h"), price=0.045).quantity == (
        "1 x 730 h x $0.045"
    )


def test_the_total_sums_the_rounded_lines_and_shows_two_decimals():
    lines = (CostLine("a", "", Decimal("0.01")), CostLine("b", "", Decimal("1.10")))
    assert total_line(CostEstimate("us-east-1", lines)) == "Estimated monthly cost: $1.11"
    assert total_line(CostEstimate("us-east-1", ())) == "Estimated monthly cost: $0.00"
