"""Typed event schemas: the one place where platform input is validated.

Every way in (the HTTP API, `civicshield ingest`, a broker consumer) parses events here, so a field
means the same thing everywhere. Unknown fields are kept (`extra="allow"`) and stored with the event:
platforms send more than we model, and dropping it would lose their data.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import InvalidEvent

AccountCategory = Literal[
    "regular", "creator", "news_org", "government", "politician", "political_party", "state_media"
]
ACCOUNT_CATEGORIES: tuple[str, ...] = AccountCategory.__args__  # type: ignore[attr-defined]
ContentKind = Literal["video", "post", "comment", "live"]
InteractionAction = Literal["post", "share", "like", "comment", "follow"]
SubjectType = Literal["account", "content", "ad", "search", "interaction", "media"]

Region = Annotated[str, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$", examples=["US-CA", "DE"])]
Identifier = Annotated[str, Field(min_length=1, max_length=200)]


def _utc(value: dt.datetime) -> dt.datetime:
    """Naive timestamps are read as UTC, so every stored time is comparable."""
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


class Payload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=False)
    subject_type: ClassVar[str] = ""

    @property
    def extra(self) -> dict[str, Any]:
        return dict(self.__pydantic_extra__ or {})


class Account(Payload):
    subject_type: ClassVar[str] = "account"
    id: Identifier
    handle: Annotated[str, Field(min_length=1, max_length=200)]
    display_name: str = ""
    category: AccountCategory = "regular"
    region: Region | None = None
    verified: bool = False
    created_at: dt.datetime | None = None
    followers: Annotated[int, Field(ge=0)] = 0
    bio: str = ""

    _tz = field_validator("created_at")(lambda v: _utc(v) if v else v)


class Media(Payload):
    subject_type: ClassVar[str] = "media"
    id: Identifier
    type: Literal["image", "video", "audio"] = "image"
    path: str | None = None
    self_disclosed_ai: bool = False


class Content(Payload):
    subject_type: ClassVar[str] = "content"
    id: Identifier
    account_id: Identifier
    kind: ContentKind = "post"
    text: Annotated[str, Field(max_length=100_000)] = ""
    transcript: Annotated[str, Field(max_length=500_000)] | None = None
    language: str | None = None
    region: Region | None = None
    hashtags: list[str] = []
    urls: list[str] = []
    media: list[Media] = []
    views: Annotated[int, Field(ge=0)] = 0
    paid_partnership: bool = False

    @property
    def analysed_text(self) -> str:
        return f"{self.text}\n{self.transcript}" if self.transcript else self.text


class Ad(Payload):
    subject_type: ClassVar[str] = "ad"
    id: Identifier
    advertiser_account_id: Identifier
    text: Annotated[str, Field(max_length=20_000)] = ""
    landing_url: str | None = None
    regions: list[Region] = []
    media: list[Media] = []

    @property
    def analysed_text(self) -> str:
        return self.text


class Search(Payload):
    subject_type: ClassVar[str] = "search"
    id: Identifier
    query: Annotated[str, Field(max_length=2_000)]
    region: Region | None = None
    language: str | None = None
    account_id: str | None = None

    @property
    def analysed_text(self) -> str:
        return self.query


class Interaction(Payload):
    subject_type: ClassVar[str] = "interaction"
    account_id: Identifier
    action: InteractionAction
    object_id: Identifier
    at: dt.datetime

    _tz = field_validator("at")(_utc)


class SubjectRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    type: SubjectType
    id: Identifier


class Report(Payload):
    subject_type: ClassVar[str] = "report"
    id: Identifier | None = None
    subject: SubjectRef
    reason: Annotated[str, Field(min_length=1, max_length=100)]
    reporter_account_id: str | None = None
    text: str = ""


class Appeal(Payload):
    subject_type: ClassVar[str] = "appeal"
    id: Identifier | None = None
    subject: SubjectRef
    reason: Annotated[str, Field(min_length=1, max_length=100)]
    decision_id: int | None = None
    appellant_account_id: str | None = None
    text: str = ""


Subject = Account | Content | Ad | Search | Interaction


def subject_region(subject: Payload) -> str | None:
    """The region a subject is about: its own `region`, else the first of an ad's `regions`."""
    return getattr(subject, "region", None) or next(iter(getattr(subject, "regions", None) or []), None)


class Event(BaseModel):
    """The envelope: who, what, when, and one payload named after the subject."""

    model_config = ConfigDict(frozen=True)
    id: str
    type: str
    occurred_at: dt.datetime
    payload: Payload
    extra: dict[str, Any] = {}

    @property
    def subject(self) -> Payload:
        return self.payload

    @property
    def payload_key(self) -> str:
        return EVENT_TYPES[self.type][0]

    def as_json(self) -> dict[str, Any]:
        """The event as the platform would send it (unknown fields included)."""
        out = {"id": self.id, "type": self.type, "occurred_at": self.occurred_at.isoformat(),
               self.payload_key: self.payload.model_dump(mode="json", exclude_defaults=False)}
        out.update(self.extra)
        return out


# event type -> (payload key, payload model). Capabilities add their own with `register_event_type`.
EVENT_TYPES: dict[str, tuple[str, type[Payload]]] = {
    "account.upserted": ("account", Account),
    "content.created": ("content", Content),
    "content.updated": ("content", Content),
    "ad.submitted": ("ad", Ad),
    "search.performed": ("search", Search),
    "interaction": ("interaction", Interaction),
    "report.filed": ("report", Report),
    "appeal.filed": ("appeal", Appeal),
}


def register_event_type(name: str, payload_key: str, model: type[Payload]) -> None:
    """Add an event type (e.g. `monetization.requested`); every intake path accepts it at once."""
    EVENT_TYPES[name] = (payload_key, model)


_ENVELOPE_KEYS = {"id", "type", "occurred_at"}


def parse_event(raw: Any, index: int | None = None) -> Event:
    """Validate one raw JSON object into an `Event`, or raise `InvalidEvent` naming the field."""
    if not isinstance(raw, dict):
        raise InvalidEvent("an event must be a JSON object", index=index)
    event_id = raw.get("id")
    if not isinstance(event_id, str) or not event_id.strip() or len(event_id) > 200:
        raise InvalidEvent("`id` must be a non-empty string of at most 200 characters", index=index,
                           field="id")
    event_type = raw.get("type")
    if event_type not in EVENT_TYPES:
        known = ", ".join(sorted(EVENT_TYPES))
        raise InvalidEvent(f"unknown event type {event_type!r}; expected one of: {known}", index=index,
                           field="type", event_id=event_id)
    key, model = EVENT_TYPES[event_type]
    nul = _nul_field(raw)
    if nul is not None:
        raise InvalidEvent("text contains a NUL character (U+0000), which cannot be stored", index=index,
                           field=nul, event_id=event_id)
    payload = raw.get(key)
    if not isinstance(payload, dict):
        raise InvalidEvent(f"a {event_type} event needs an object named {key!r}", index=index,
                           field=key, event_id=event_id)
    try:
        occurred_at = _parse_time(raw.get("occurred_at"))
        parsed = model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InvalidEvent(first["msg"], index=index, field=f"{key}.{loc}" if loc else key,
                           event_id=event_id) from None
    except ValueError as exc:
        raise InvalidEvent(str(exc), index=index, field="occurred_at", event_id=event_id) from None
    extra = {k: v for k, v in raw.items() if k not in _ENVELOPE_KEYS and k != key}
    return Event(id=event_id, type=event_type, occurred_at=occurred_at, payload=parsed, extra=extra)


def _nul_field(value: Any, path: str = "") -> str | None:
    """The dotted path of the first string (key or value) holding U+0000, which PostgreSQL cannot store."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for k, v in value.items():
            here = f"{path}.{k}" if path else str(k)
            if "\x00" in str(k):
                return here
            found = _nul_field(v, here)
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = _nul_field(v, f"{path}.{i}")
            if found is not None:
                return found
    return None


def _parse_time(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("`occurred_at` must be an ISO 8601 timestamp string")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"`occurred_at` is not ISO 8601: {value!r}") from None
    return _utc(parsed)


def event_json_schemas() -> dict[str, Any]:
    """JSON Schema for every event type, published at /api/v1/schemas/events."""
    schemas: dict[str, Any] = {}
    for name, (key, model) in sorted(EVENT_TYPES.items()):
        schemas[name] = {
            "type": "object",
            "required": ["id", "type", "occurred_at", key],
            "additionalProperties": True,
            "properties": {
                "id": {"type": "string", "minLength": 1, "maxLength": 200},
                "type": {"const": name},
                "occurred_at": {"type": "string", "format": "date-time"},
                key: model.model_json_schema(),
            },
        }
    return schemas
