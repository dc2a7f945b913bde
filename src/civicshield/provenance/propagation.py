"""A label on one item follows its media to near-duplicates, through the decision log.

When a decision (a rule or a reviewer) labels a post or ad AI-generated, the PDQ hashes of its images
go into the `labelled_ai_generated` bank, so a re-upload is labelled at intake by
`provenance.label_follows_media`. Items already stored that carry a near-duplicate get their own
decision row (rule `provenance.label_propagation`) naming the decision and the distance, so every
propagated label is explained and reversible like any other. The decision log is read from a cursor,
so `civicshield provenance propagate` can run as often as wanted.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from typing import Any, Iterator

from django.db import transaction

from civicshield.core.errors import ProvenanceError
from civicshield.decisions.log import record_decision
from civicshield.decisions.models import Decision
from civicshield.decisions.state import subject_state
from civicshield.intake.models import Ad, Content

from .bank import MIN_QUALITY, HashIndex, hashes_to_array
from .banks import ensure_bank
from .mediaroot import resolve_media_path
from .models import BankedHash, MediaFile, PropagationCursor
from .resources import media_root
from .uploads import analyse

LABEL = "ai_generated"
BANK = "labelled_ai_generated"
RULE_ID = "provenance.label_propagation"
_SUBJECTS = {"content": Content, "ad": Ad}


@dataclass
class PropagationResult:
    decisions_read: int = 0
    hashes_banked: int = 0
    labelled: list[dict[str, Any]] = field(default_factory=list)


def media_hash(path: str) -> tuple[str, int] | None:
    """The PDQ (hash, quality) of a media path under the root, from the store or computed once."""
    row = MediaFile.objects.filter(path=path).exclude(pdq="").first()
    if row:
        return row.pdq, row.pdq_quality or 0
    try:
        resolved = resolve_media_path(media_root(), path)
    except ProvenanceError:
        return None
    data = resolved.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    row = MediaFile.objects.filter(sha256=digest).first()
    if row is None:
        mime = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        row = MediaFile.objects.create(sha256=digest, path=path, mime=mime, size=len(data),
                                       uploaded_by="reference", **analyse(data, "image", path))
    return (row.pdq, row.pdq_quality or 0) if row.pdq else None


def _subject_media(subject_type: str, subject_id: str) -> list[str]:
    model = _SUBJECTS.get(subject_type)
    row = model.objects.filter(id=subject_id).only("payload").first() if model else None
    media = (row.payload or {}).get("media") if row else None
    return [m["path"] for m in media or [] if isinstance(m, dict) and isinstance(m.get("path"), str)]


def _stored_media() -> Iterator[tuple[str, str, str]]:
    """(subject type, id, media path) for every stored post and ad with media."""
    for subject_type, model in _SUBJECTS.items():
        for row in model.objects.only("id", "payload").iterator(chunk_size=500):
            for media in (row.payload or {}).get("media") or []:
                if isinstance(media, dict) and isinstance(media.get("path"), str):
                    yield subject_type, row.id, media["path"]


def propagate_labels(policy_version: str) -> PropagationResult:
    """Bank media of newly labelled items and label their stored near-duplicates."""
    result = PropagationResult()
    cursor = PropagationCursor.objects.first() or PropagationCursor.objects.create()
    rows = list(Decision.objects.filter(seq__gt=cursor.last_seq, mode="enforce", effect="apply")
                .order_by("seq").only("seq", "subject_type", "subject_id", "labels", "rule_id"))
    result.decisions_read = len(rows)
    bank = ensure_bank(BANK)
    banked: list[tuple[str, Decision]] = []
    for decision in rows:
        if LABEL not in (decision.labels or []) or decision.subject_type not in _SUBJECTS:
            continue
        for path in _subject_media(decision.subject_type, decision.subject_id):
            found = media_hash(path)
            if found is None or found[1] < MIN_QUALITY:
                continue
            _, created = BankedHash.objects.get_or_create(
                bank=bank, pdq=found[0], defaults={"quality": found[1], "source": "decision",
                                                   "decision_seq": decision.seq,
                                                   "subject_key": f"{decision.subject_type}:{decision.subject_id}"})
            result.hashes_banked += int(created)
            banked.append((found[0], decision))
    if banked:
        result.labelled = _label_duplicates(banked, policy_version)
    if rows:
        cursor.last_seq = rows[-1].seq
        cursor.save(update_fields=["last_seq", "updated_at"])
    return result


def _label_duplicates(banked: list[tuple[str, Decision]], policy_version: str) -> list[dict[str, Any]]:
    index = HashIndex.from_hex([h for h, _ in banked])
    sources = {f"{d.subject_type}:{d.subject_id}" for _, d in banked}
    labelled: list[dict[str, Any]] = []
    done: set[str] = set()
    for subject_type, subject_id, path in _stored_media():
        key = f"{subject_type}:{subject_id}"
        if key in sources or key in done:
            continue
        found = media_hash(path)
        if found is None or found[1] < MIN_QUALITY:
            continue
        _, hit, distance = index.search(hashes_to_array([found[0]]))
        if not len(hit) or LABEL in subject_state(subject_type, subject_id).labels:
            continue
        origin = banked[int(hit[0])][1]
        with transaction.atomic():
            record_decision(subject_type, subject_id, "label", rule_id=RULE_ID, policy_version=policy_version,
                            actor_type="system", labels=[LABEL], area="ai_generated",
                            explanation=(f"Its media is a near-duplicate (PDQ distance {int(distance[0])}) of media "
                                         f"labelled AI-generated in decision #{origin.seq}."),
                            signals={"media_match": {"value": [BANK], "evidence": {
                                "decision": origin.seq, "distance": int(distance[0]), "path": path}}})
        done.add(key)
        labelled.append({"subject": key, "decision": origin.seq, "distance": int(distance[0])})
    return labelled
