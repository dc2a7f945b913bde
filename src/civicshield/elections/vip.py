"""Read Voting Information Project (VIP) 5.2 and 6.0 XML feeds into plain records.

States and counties publish where and when to vote as VIP feeds: one `<VipObject>` holding elections,
election administrations (with their official URLs), localities, precincts, and polling locations
(early-vote sites are polling locations flagged `IsEarlyVoting`), with opening hours in `HoursOpen`
schedules. Parsing is done with defusedxml (feeds come from outside; no entity expansion, no external
DTDs). Both versions are read by one tolerant reader: 5.2 feeds tend to use free-text `AddressLine`
and the deprecated `Hours` text, 6.0 feeds `AddressStructured` and `HoursOpenId`. Storing the records
is the Django app's job (`importing.py`); this module is pure.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from civicshield.core.errors import FeedError

SUPPORTED = ("5.2", "6.0")
ADMIN_URLS = (
    "ElectionsUri",
    "RegistrationUri",
    "AmIRegisteredUri",
    "AbsenteeUri",
    "WhereDoIVoteUri",
    "BallotTrackingUri",
    "BallotProvisionalTrackingUri",
    "RulesUri",
    "WhatIsOnMyBallotUri",
)
MAX_FEED_BYTES = 512 * 1024 * 1024


@dataclass
class VipFeed:
    """Everything the Election Center keeps from one feed, keyed by the feed's own object ids."""

    version: str
    source: dict[str, Any]
    counts: Counter[str]
    elections: list[dict[str, Any]] = field(default_factory=list)
    administrations: list[dict[str, Any]] = field(default_factory=list)
    states: list[dict[str, Any]] = field(default_factory=list)
    localities: list[dict[str, Any]] = field(default_factory=list)
    precincts: list[dict[str, Any]] = field(default_factory=list)
    polling_locations: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "counts": dict(sorted(self.counts.items())),
            "warnings": self.warnings,
        }


def read_feed_bytes(path: str | Path) -> bytes:
    """The XML of a feed given as an .xml file or a .zip holding one."""
    path = Path(path)
    if not path.exists():
        raise FeedError(f"feed file {path} does not exist")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [
                n for n in archive.namelist() if n.lower().endswith(".xml") and not n.startswith("__MACOSX")
            ]
            if len(names) != 1:
                raise FeedError(f"{path.name}: a VIP zip must hold exactly one .xml file, found {len(names)}")
            info = archive.getinfo(names[0])
            if info.file_size > MAX_FEED_BYTES:
                raise FeedError(f"{names[0]} is {info.file_size} bytes, over the {MAX_FEED_BYTES}-byte limit")
            return archive.read(info)
    return path.read_bytes()


def parse_feed(data: bytes | str | Path) -> VipFeed:
    """Parse a VIP feed (bytes of XML, or a path to an .xml or .zip file)."""
    raw = read_feed_bytes(data) if isinstance(data, (str, Path)) else data
    try:
        root = SafeET.parse(io.BytesIO(raw), forbid_dtd=True).getroot()
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise FeedError(f"not well-formed XML ({exc})", line=line) from None
    except DefusedXmlException as exc:
        raise FeedError(f"refused unsafe XML construct: {exc.__class__.__name__}") from None
    except (LookupError, ValueError) as exc:  # an unknown or unusable encoding in the XML declaration
        raise FeedError(f"cannot decode the feed: {exc}") from None
    for el in root.iter():  # feeds may or may not use a namespace; read them the same way
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = _local(el.tag)
    if _local(root.tag) != "VipObject":
        raise FeedError(f"root element is <{_local(root.tag)}>; expected <VipObject> (VIP 5.2 or 6.0)")
    version = (root.get("schemaVersion") or "").strip()
    feed = VipFeed(version=version, source={}, counts=Counter())
    if version not in SUPPORTED:
        if version.split(".")[0] in ("5", "6"):
            feed.warnings.append(f"schemaVersion {version!r} read as {version.split('.')[0]}.x")
        else:
            raise FeedError(
                f"schemaVersion {version!r} is not supported; use VIP {' or '.join(SUPPORTED)}",
                element="VipObject",
            )
    hours = {el.get("id"): _schedule(el) for el in root if _local(el.tag) == "HoursOpen"}
    for el in root:
        tag = _local(el.tag)
        feed.counts[tag] += 1
        reader = _READERS.get(tag)
        if reader is None:
            continue
        object_id = el.get("id") or ""
        if tag != "Source" and not 0 < len(object_id) <= 100:
            feed.warnings.append(f"{tag} without a usable id attribute ({object_id[:40]!r}); skipped")
            continue
        reader(feed, el, hours)
    _check_references(feed)
    return feed


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: Element, name: str) -> Element | None:
    return el.find(name)


def _text(el: Element, name: str) -> str:
    child = _child(el, name)
    if child is None:
        return ""
    if _child(child, "Text") is not None:  # InternationalizedText: prefer English
        texts = {t.get("language", "en"): (t.text or "").strip() for t in child if _local(t.tag) == "Text"}
        return texts.get("en") or next(iter(texts.values()), "")
    return (child.text or "").strip()


def _bool(el: Element, name: str) -> bool | None:
    value = _text(el, name).lower()
    return {"true": True, "1": True, "false": False, "0": False}.get(value)


def _ids(el: Element, name: str) -> list[str]:
    return _text(el, name).split()


def _schedule(el: Element) -> list[dict[str, Any]]:
    out = []
    for sched in (c for c in el if _local(c.tag) == "Schedule"):
        out.append(
            {
                "start_date": _text(sched, "StartDate"),
                "end_date": _text(sched, "EndDate"),
                "hours": [
                    {"start": _text(h, "StartTime"), "end": _text(h, "EndTime")}
                    for h in sched
                    if _local(h.tag) == "Hours"
                ],
                "by_appointment": bool(_bool(sched, "IsOnlyByAppointment")),
                "subject_to_change": bool(_bool(sched, "IsSubjectToChange")),
            }
        )
    return out


def _source(feed: VipFeed, el: Element, hours: dict) -> None:
    feed.source = {
        "name": _text(el, "Name"),
        "vip_id": _text(el, "VipId"),
        "datetime": _text(el, "DateTime"),
        "organization_uri": _text(el, "OrganizationUri"),
        "version": _text(el, "Version"),
    }


def _election(feed: VipFeed, el: Element, hours: dict) -> None:
    record = {
        "id": el.get("id"),
        "name": _text(el, "Name"),
        "date": _text(el, "Date"),
        "type": _text(el, "ElectionType"),
        "state_id": _text(el, "StateId"),
        "is_statewide": _bool(el, "IsStatewide"),
        "registration_deadline": _text(el, "RegistrationDeadline"),
        "absentee_request_deadline": _text(el, "AbsenteeRequestDeadline"),
        "election_day_registration": _bool(el, "HasElectionDayRegistration"),
        "results_uri": _text(el, "ResultsUri"),
        "polling_hours": _text(el, "PollingHours"),
        "hours": hours.get(_text(el, "HoursOpenId"), []),
    }
    if not record["date"]:
        feed.warnings.append(f"Election {record['id']}: missing required Date; skipped")
        return
    try:
        dt.date.fromisoformat(record["date"])
    except ValueError:
        feed.warnings.append(
            f"Election {record['id']}: Date {record['date'][:40]!r} is not YYYY-MM-DD; skipped"
        )
        return
    feed.elections.append(record)


def _administration(feed: VipFeed, el: Element, hours: dict) -> None:
    dept = _child(el, "Department")
    contact = _child(dept, "ContactInformation") if dept is not None else None
    feed.administrations.append(
        {
            "id": el.get("id"),
            "urls": {name: _text(el, name) for name in ADMIN_URLS if _text(el, name)},
            "name": _text(contact, "Name") if contact is not None else "",
            "phone": _text(contact, "Phone") if contact is not None else "",
            "email": _text(contact, "Email") if contact is not None else "",
        }
    )


def _state(feed: VipFeed, el: Element, hours: dict) -> None:
    feed.states.append(
        {
            "id": el.get("id"),
            "name": _text(el, "Name"),
            "administration_id": _text(el, "ElectionAdministrationId"),
            "ocd_id": _ocd(el),
        }
    )


def _locality(feed: VipFeed, el: Element, hours: dict) -> None:
    feed.localities.append(
        {
            "id": el.get("id"),
            "name": _text(el, "Name"),
            "state_id": _text(el, "StateId"),
            "type": _text(el, "Type"),
            "administration_id": _text(el, "ElectionAdministrationId"),
            "polling_location_ids": _ids(el, "PollingLocationIds"),
            "is_mail_only": bool(_bool(el, "IsMailOnly")),
            "ocd_id": _ocd(el),
        }
    )


def _precinct(feed: VipFeed, el: Element, hours: dict) -> None:
    feed.precincts.append(
        {
            "id": el.get("id"),
            "name": _text(el, "Name"),
            "number": _text(el, "Number"),
            "locality_id": _text(el, "LocalityId"),
            "ward": _text(el, "Ward"),
            "polling_location_ids": _ids(el, "PollingLocationIds"),
            "is_mail_only": bool(_bool(el, "IsMailOnly")),
        }
    )


def _polling_location(feed: VipFeed, el: Element, hours: dict) -> None:
    structured = _child(el, "AddressStructured")
    if structured is not None:
        parts = [_text(structured, n) for n in ("Line1", "Line2", "Line3")]
        address = ", ".join(
            p
            for p in parts
            + [_text(structured, "City"), f"{_text(structured, 'State')} {_text(structured, 'Zip')}".strip()]
            if p
        )
    else:
        address = ", ".join((c.text or "").strip() for c in el if _local(c.tag) == "AddressLine" and c.text)
    latlng = _child(el, "LatLng")
    record = {
        "id": el.get("id"),
        "name": _text(el, "Name"),
        "address": address,
        "is_early_voting": bool(_bool(el, "IsEarlyVoting")),
        "is_drop_box": bool(_bool(el, "IsDropBox")),
        "hours_text": _text(el, "Hours"),
        "hours": hours.get(_text(el, "HoursOpenId"), []),
        "directions": _text(el, "Directions"),
        "lat": _coordinate(latlng, "Latitude", 90, feed, el),
        "lng": _coordinate(latlng, "Longitude", 180, feed, el),
    }
    if not address:
        feed.warnings.append(f"PollingLocation {record['id']}: no address")
    feed.polling_locations.append(record)


def _coordinate(latlng: Element | None, name: str, limit: float, feed: VipFeed, el: Element) -> float | None:
    raw = _text(latlng, name) if latlng is not None else ""
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not -limit <= value <= limit:  # also false for NaN
        feed.warnings.append(
            f"PollingLocation {el.get('id')}: {name} {raw[:40]!r} is not a coordinate; ignored"
        )
        return None
    return value


def _ocd(el: Element) -> str:
    ids = _child(el, "ExternalIdentifiers")
    for ext in ids if ids is not None else []:
        if _text(ext, "Type") == "ocd-id":
            return _text(ext, "Value")
    return ""


def _check_references(feed: VipFeed) -> None:
    known = {r["id"] for r in feed.polling_locations}
    localities = {r["id"] for r in feed.localities}
    for precinct in feed.precincts:
        if precinct["locality_id"] and precinct["locality_id"] not in localities:
            feed.warnings.append(
                f"Precinct {precinct['id']}: LocalityId {precinct['locality_id']} not in feed"
            )
        missing = [i for i in precinct["polling_location_ids"] if i not in known]
        if missing:
            feed.warnings.append(
                f"Precinct {precinct['id']}: PollingLocationIds not in feed: {' '.join(missing)}"
            )


_READERS = {
    "Source": _source,
    "Election": _election,
    "ElectionAdministration": _administration,
    "State": _state,
    "Locality": _locality,
    "Precinct": _precinct,
    "PollingLocation": _polling_location,
}
