"""How report figures read on a page: shares as percentages, hours with one decimal, counts grouped."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def figure_value(value: Any, unit: str = "count") -> str:
    if value is None:
        return "not yet measured"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "hours":
        return f"{value:,.1f} h"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
