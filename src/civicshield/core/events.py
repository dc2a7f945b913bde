"""Typed event schemas: the one place where platform input is validated.

Every way in (the HTTP API, `civicshield ingest`, a broker consumer) parses events here, so a field
means the same thing everywhere. Unknown fields are kept (`extra="allow"`) and stored with the event:
platforms send more than we model, and dropping it would lose their data.

Validation covers everything storage needs, so an event that passes is one every supported database
stores: integers fit a 64-bit column, times lie in the calendar once converted to UTC, text encodes as
UTF-8 without NUL, numbers are finite JSON, nesting is shallow, and every free-text field, list and
unknown field has a size limit (`LIMITS`, published with the JSON Schemas).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from .errors import InvalidEvent

AccountCategory = Literal[
    "regular", "creator", "news_org", "government", "politician", "political_party", "state_media"
]
ACCOUNT_CATEGORIES: tuple[str, ...] = AccountCategory.__args__  # type: ignore[attr-defined]
ContentKind = Literal["video", "post", "comment", "live"]
InteractionAction = Literal["post", "share", "like", "comment", "follow"]
SubjectType = Literal["account", "content", "ad", "search", "interaction", "media"]

# What storage can hold (SQLite INTEGER and PostgreSQL bigint are both signed 64-bit), and what a
# platform may send; each limit is enforced below and listed in the published schemas.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)
LATEST = dt.datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=dt.timezone.utc)
MAX_DEPTH = 16
MAX_UNKNOWN_FIELDS = 100
MAX_UNKNOWN_FIELD_CHARS = 16_384
# Detectors read at most this many characters of each text field: their cost grows with the text, and
# the opening of a post or transcript carries its claims. `truncated_fields` says what was cut.
ANALYSED_CHARS = 20_000
LIMITS: dict[str, int | str] = {
    "integers": f"{INT64_MIN} … {INT64_MAX}", "times (UTC)": f"{EARLIEST:%Y-%m-%d} … {LATEST:%Y-%m-%d}",
    "nesting depth": MAX_DEPTH, "unknown fields per object": MAX_UNKNOWN_FIELDS,
    "characters per unknown field (as JSON)": MAX_UNKNOWN_FIELD_CHARS,
    "characters analysed per text field": ANALYSED_CHARS,
}

Region = Annotated[str, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$", examples=["US-CA", "DE"])]
Identifier = Annotated[str, Field(min_length=1, max_length=200)]
OptionalId = Annotated[str, Field(max_length=200)] | None
Count = Annotated[int, Field(ge=0, le=INT64_MAX)]
Language = Annotated[str, Field(max_length=16)] | None
Url = Annotated[str, Field(max_length=2_048)]


def Text(limit: int) -> Any:  # noqa: N802 - reads as a type in field declarations
    """Free text of at most `limit` characters."""
    return Annotated[str, Field(max_length=limit)]


def _utc(value: dt.datetime) -> dt.datetime:
    """Naive timestamps are read as UTC, so every stored time is comparable."""
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def storable_time(value: dt.datetime) -> dt.datetime:
    """`value` in UTC, or ValueError when it falls outside the calendar storage and reports use."""
    try:
        utc = _utc(value).astimezone(dt.timezone.utc)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise ValueError(f"time {value.isoformat()} is outside {EARLIEST:%Y-%m-%d} … {LATEST:%Y-%m-%d} once "
                         "converted to UTC")
    return utc


class Payload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=False, allow_inf_nan=False)
    subject_type: ClassVar[str] = ""
    analysed_fields: ClassVar[tuple[str, ...]] = ()

    @property
    def extra(self) -> dict[str, Any]:
        return dict(self.__pydantic_extra__ or {})

    @property
    def truncated_fields(self) -> dict[str, int]:
        """Text fields longer than detectors read, with their full length."""
        return {name: len(value) for name in self.analysed_fields
                if len(value := getattr(self, name) or "") > ANALYSED_CHARS}

    @field_validator("*", mode="after")
    @classmethod
    def _storable_times(cls, value: Any, info: ValidationInfo) -> Any:
        return storable_time(value) if isinstance(value, dt.datetime) else value

    @model_validator(mode="after")
    def _bounded_unknown_fields(self) -> "Payload":
        extra = self.__pydantic_extra__ or {}
        if len(extra) > MAX_UNKNOWN_FIELDS:
            raise ValueError(f"{len(extra)} unknown fields; at most {MAX_UNKNOWN_FIELDS} are kept per object")
        for name, value in extra.items():
            _check_unknown_field(name, value)
        return self


class Account(Payload):
    subject_type: ClassVar[str] = "account"
    id: Identifier
    handle: Annotated[str, Field(min_length=1, max_length=200)]
    display_name: Text(300) = ""
    category: AccountCategory = "regular"
    region: Region | None = None
    verified: bool = False
    created_at: dt.datetime | None = None
    followers: Count = 0
    bio: Text(5_000) = ""

    _tz = field_validator("created_at")(lambda v: _utc(v) if v else v)


class Media(Payload):
    subject_type: ClassVar[str] = "media"
    id: Identifier
    type: Literal["image", "video", "audio"] = "image"
    path: Url | None = None
    self_disclosed_ai: bool = False


class Content(Payload):
    subject_type: ClassVar[str] = "content"
    id: Identifier
    account_id: Identifier
    kind: ContentKind = "post"
    text: Annotated[str, Field(max_length=100_000)] = ""
    transcript: Annotated[str, Field(max_length=500_000)] | None = None
    language: Language = None
    region: Region | None = None
    hashtags: Annotated[list[Text(200)], Field(max_length=100)] = []
    urls: Annotated[list[Url], Field(max_length=100)] = []
    media: Annotated[list[Media], Field(max_length=20)] = []
    views: Count = 0
    paid_partnership: bool = False
    analysed_fields: ClassVar[tuple[str, ...]] = ("text", "transcript")

    @property
    def analysed_text(self) -> str:
        text = self.text[:ANALYSED_CHARS]
        return f"{text}\n{self.transcript[:ANALYSED_CHARS]}" if self.transcript else text


class Ad(Payload):
    subject_type: ClassVar[str] = "ad"
    id: Identifier
    advertiser_account_id: Identifier
    text: Annotated[str, Field(max_length=20_000)] = ""
    landing_url: Url | None = None
    regions: Annotated[list[Region], Field(max_length=300)] = []
    media: Annotated[list[Media], Field(max_length=20)] = []
    analysed_fields: ClassVar[tuple[str, ...]] = ("text",)

    @property
    def analysed_text(self) -> str:
        return self.text[:ANALYSED_CHARS]


class Search(Payload):
    subject_type: ClassVar[str] = "search"
    id: Identifier
    query: Annotated[str, Field(max_length=2_000)]
    region: Region | None = None
    language: Language = None
    account_id: OptionalId = None

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
    reporter_account_id: OptionalId = None
    text: Text(5_000) = ""


class Appeal(Payload):
    subject_type: ClassVar[str] = "appeal"
    id: Identifier | None = None
    subject: SubjectRef
    reason: Annotated[str, Field(min_length=1, max_length=100)]
    decision_id: Annotated[int, Field(ge=1, le=INT64_MAX)] | None = None
    appellant_account_id: OptionalId = None
    text: Text(5_000) = ""


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
    problem = unstorable(raw)
    if problem is not None:
        raise InvalidEvent(problem[1], index=index, field=problem[0], event_id=event_id)
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
    try:
        for name, value in extra.items():
            _check_unknown_field(name, value)
    except ValueError as exc:
        raise InvalidEvent(str(exc), index=index, field=name, event_id=event_id) from None
    return Event(id=event_id, type=event_type, occurred_at=occurred_at, payload=parsed, extra=extra)


def unstorable(value: Any, path: str = "", depth: int = 0) -> tuple[str, str] | None:
    """(dotted path, reason) of the first value no database can store, or None.

    Text must encode as UTF-8 (no lone surrogates) without NUL, numbers must be finite and integers
    fit in 64 bits, and nesting stays within `MAX_DEPTH`.
    """
    if isinstance(value, str):
        return _text_problem(value, path)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            return path, f"integer out of range: values must lie in {INT64_MIN} … {INT64_MAX}"
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else (path, "NaN and Infinity are not valid JSON numbers")
    if isinstance(value, (dict, list)):
        if depth >= MAX_DEPTH:
            return path, f"nested deeper than {MAX_DEPTH} levels"
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for k, v in items:
            here = f"{path}.{k}" if path else str(k)
            found = (_text_problem(k, here) if isinstance(k, str) else None) or unstorable(v, here, depth + 1)
            if found is not None:
                return found
    return None


def _text_problem(text: str, path: str) -> tuple[str, str] | None:
    if "\x00" in text:
        return path, "text contains a NUL character (U+0000), which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return path, "text contains a lone UTF-16 surrogate, which is not valid Unicode and cannot be stored"
    return None


def _check_unknown_field(name: str, value: Any) -> None:
    """Unknown fields are kept verbatim, so each is bounded in size."""
    if isinstance(value, str) and len(value) <= MAX_UNKNOWN_FIELD_CHARS:
        return
    size = len(json.dumps(value, ensure_ascii=False, default=str))
    if size > MAX_UNKNOWN_FIELD_CHARS:
        raise ValueError(f"unknown field {name!r} is {size:,} characters as JSON; the limit is "
                         f"{MAX_UNKNOWN_FIELD_CHARS:,}")


def _parse_time(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("`occurred_at` must be an ISO 8601 timestamp string")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"`occurred_at` is not ISO 8601: {value!r}") from None
    return storable_time(parsed)


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
            "x-civicshield-limits": LIMITS,
        }
    return schemas
