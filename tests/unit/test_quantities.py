"""Metric values are written one way, in reasons and on pages."""

from roadmapgen.quantities import places_of, quantity


def test_money_keeps_cents_and_puts_the_symbol_first():
    assert quantity(3.9, "€") == "€3.90"
    assert quantity(4, "£") == "£4"
    assert quantity(-2.5, "$") == "-$2.50"


def test_percent_is_a_suffix_and_other_units_follow_a_space():
    assert quantity(92.5, "%") == "92.5%"
    assert quantity(1200, "orders") == "1,200 orders"
    assert quantity(3, None) == "3"


def test_expected_values_are_no_more_precise_than_their_figures():
    assert places_of(38, 15, 26) == 0
    assert quantity(23.68, "contacts", places_of(38, 15, 26)) == "24 contacts"
    assert places_of(91.5, 97, None) == 1
