"""Filters for showing outside text safely, available in every template (a template builtin).

`name`: a person's, account's, organisation's or network's name without bidirectional override or
isolate characters, so it cannot display in another order than it is written (`gnp.exe` as `exe.png`).
`http_url`: a link target from outside data, kept only when it is an http(s) URL (else empty).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

from civicshield.core.bidi import strip_bidi_controls

register = template.Library()


@register.filter(name="name", is_safe=True)
def display_name(value: object) -> str:
    return strip_bidi_controls("" if value is None else str(value))


@register.filter
def http_url(value: object) -> str:
    text = "" if value is None else str(value).strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in ("http", "https") else ""
