"""The error hierarchy users of CivicShield catch: one root, a few meaningful branches."""

from __future__ import annotations


class CivicShieldError(Exception):
    """Root of every error CivicShield raises on purpose."""


class InvalidEvent(CivicShieldError):
    """An event failed validation; `index` is its position in the batch, `field` the offending path."""

    def __init__(self, reason: str, *, index: int | None = None, field: str | None = None,
                 event_id: str | None = None) -> None:
        self.reason = reason
        self.index = index
        self.field = field
        self.event_id = event_id
        where = []
        if index is not None:
            where.append(f"event {index}")
        if event_id:
            where.append(f"id {event_id!r}")
        if field:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {reason}" if where else reason)

    def as_dict(self) -> dict[str, object]:
        return {"index": self.index, "id": self.event_id, "field": self.field, "reason": self.reason}


class PolicyError(CivicShieldError):
    """A policy file is wrong; says which file, line and rule so an author can fix it."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 rule_id: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.rule_id = rule_id
        location = file or "<policy>"
        if line is not None:
            location += f":{line}"
        if rule_id:
            location += f" (rule {rule_id})"
        super().__init__(f"{location}: {message}")


class ProvenanceError(CivicShieldError):
    """Media provenance could not be read (bad file, unsupported format)."""


class FeedError(CivicShieldError):
    """An imported feed (VIP, ClaimReview, CSV) is malformed; names the element and line."""

    def __init__(self, message: str, *, element: str | None = None, line: int | None = None) -> None:
        self.element = element
        self.line = line
        where = " ".join(p for p in (f"<{element}>" if element else "", f"line {line}" if line else "") if p)
        super().__init__(f"{where}: {message}" if where else message)
