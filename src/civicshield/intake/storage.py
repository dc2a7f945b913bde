"""Writing events and subjects in bulk, and reading back what intake needs (known ids, accounts)."""

from __future__ import annotations

from typing import Any, Iterable

from django.db import models
from django.utils import timezone

from civicshield.core.events import Account as AccountPayload, Event as EventPayload
from civicshield.site.bulk import insert_rows

from .models import Account, Ad, Content, Event, Interaction, Search

CHUNK = 500


def existing_event_ids(ids: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), CHUNK):
        found.update(Event.objects.filter(event_id__in=ids[i:i + CHUNK]).values_list("event_id", flat=True))
    return found


def load_accounts(ids: Iterable[str]) -> dict[str, AccountPayload]:
    ids = [i for i in ids if i]
    out: dict[str, AccountPayload] = {}
    for i in range(0, len(ids), CHUNK):
        for row in Account.objects.filter(id__in=ids[i:i + CHUNK]).values("id", "payload"):
            out[row["id"]] = AccountPayload.model_validate(row["payload"])
    return out


def subject_id_of(event: EventPayload) -> str:
    p = event.payload
    return getattr(p, "id", None) or event.id


def store_batch(events: list[EventPayload], source: str) -> None:
    now = timezone.now()
    insert_rows(Event, ["event_id", "type", "occurred_at", "received_at", "subject_type", "subject_id", "payload",
                        "source"],
                [(e.id, e.type, e.occurred_at, now, e.payload.subject_type, _ref_id(e), e.as_json(), source)
                 for e in events])
    latest: dict[tuple[str, str], EventPayload] = {}
    interactions = []
    for e in events:
        kind = e.payload.subject_type
        if kind == "interaction":
            p = e.payload
            interactions.append((e.id, p.account_id, p.action, p.object_id, p.at, p.model_dump(mode="json")))
        elif kind in _UPSERTS:
            latest[(kind, e.payload.id)] = e
    insert_rows(Interaction, ["event_id", "account_id", "action", "object_id", "at", "payload"], interactions)
    by_kind: dict[str, list[EventPayload]] = {}
    for (kind, _), e in latest.items():
        by_kind.setdefault(kind, []).append(e)
    for kind, evs in by_kind.items():
        model, columns = _UPSERTS[kind]
        rows = [model(id=e.payload.id, payload=e.payload.model_dump(mode="json"), first_seen=e.occurred_at,
                      last_event_at=e.occurred_at, **columns(e.payload)) for e in evs]
        update = [f for f in ("payload", "last_event_at", *columns(evs[0].payload))]
        model.objects.bulk_create(rows, batch_size=CHUNK, update_conflicts=True, unique_fields=["id"],
                                  update_fields=update)


def _ref_id(e: EventPayload) -> str:
    p = e.payload
    if e.type in ("report.filed", "appeal.filed"):
        return f"{p.subject.type}:{p.subject.id}"
    return getattr(p, "id", None) or e.id


def _account_columns(p: Any) -> dict[str, Any]:
    return {"handle": p.handle, "display_name": p.display_name, "category": p.category, "region": p.region or "",
            "verified": p.verified, "followers": p.followers}


def _content_columns(p: Any) -> dict[str, Any]:
    return {"account_id": p.account_id, "kind": p.kind, "text": p.text, "language": p.language or "",
            "region": p.region or "", "views": p.views}


def _ad_columns(p: Any) -> dict[str, Any]:
    return {"advertiser_account_id": p.advertiser_account_id, "text": p.text, "regions": list(p.regions)}


def _search_columns(p: Any) -> dict[str, Any]:
    return {"query": p.query, "region": p.region or "", "language": p.language or ""}


_UPSERTS = {"account": (Account, _account_columns), "content": (Content, _content_columns),
            "ad": (Ad, _ad_columns), "search": (Search, _search_columns)}
