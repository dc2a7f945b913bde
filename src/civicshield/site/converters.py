"""Ids from the outside world in URLs: any text goes in, the same text comes back out.

Subject, content and network ids arrive in events and may hold `/`, `?`, `#`, `..` or anything else.
Plain ids stay readable in the URL; any other id (and any id starting with `~`) travels as `~` followed
by its UTF-8 bytes in unpadded URL-safe base64, which has no character a path or a browser rewrites.
"""

from __future__ import annotations

import base64
import binascii
import re

_PLAIN = re.compile(r"[A-Za-z0-9_.:@-]+")


class ExternalIdConverter:
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        if not value.startswith("~"):
            return value
        token = value[1:]
        try:
            return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise ValueError(f"{value!r} is not an encoded id") from None

    def to_url(self, value: object) -> str:
        text = str(value)
        if _PLAIN.fullmatch(text) and text.strip(".") and not text.startswith("~"):
            return text
        return "~" + base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode("ascii").rstrip("=")
