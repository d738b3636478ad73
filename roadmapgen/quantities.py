"""How a metric's value and a date are written, the same way in the engine's reasons and on every page."""

from __future__ import annotations

from datetime import date

CURRENCIES = frozenset({"€", "£", "$", "¥"})
SUFFIXES = frozenset({"%", "‰"})


def number(value: float, places: int = 2) -> str:
    """1234.5 → '1,234.5'; trailing zeros dropped."""
    text = f"{value:,.{places}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def quantity(value: float, unit: str | None = None, places: int = 2) -> str:
    """A value with its unit: '€4.41', '92.5%', '1,200 orders'. Money keeps its cents."""
    if unit in CURRENCIES:
        text = number(value, places) if float(value).is_integer() else f"{value:,.2f}"
        return f"-{unit}{text[1:]}" if text.startswith("-") else f"{unit}{text}"
    text = number(value, places)
    if not unit:
        return text
    return f"{text}{unit}" if unit in SUFFIXES else f"{text} {unit}"


def places_of(*values: float | None) -> int:
    """How many decimals (0–2) the given figures are written with: an expected value is shown
    no more precisely than the baseline and target it comes from."""
    places = 0
    for value in values:
        if value is None:
            continue
        text = number(value)
        places = max(places, len(text.split(".", 1)[1]) if "." in text else 0)
    return places


def fmt_date(value: date | None) -> str:
    """A date as pages print it: ISO, or — when there is none."""
    return value.isoformat() if value else "—"
