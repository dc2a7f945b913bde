"""DSA statements of reasons, one for every enforced restriction with an EU/EEA territorial scope.

Identity and civic-information labels (a politician's label, the Election Center banner) inform and
restrict nothing, so they get no statement; every other enforced restriction in scope does.
A statement is built from the decision row (action → restriction field, DSA ground and category,
automation flags, dates, scope) and the subject it concerns (content type, language, account type,
whether a user's notice came first). Human decisions that record no scope take it from the subject's
region, and decisions without a DSA ground take their policy area's. Statements are checked with
`validation.check_statement` before they are written; one that fails is reported, never written.
The file holds one bulk request per line: `{"statements": [...]}` with at most 100 statements.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from django.db.models import Min

from civicshield.decisions.dsa import RESTRICTIONS
from civicshield.decisions.models import Decision
from civicshield.intake.models import Account, Ad, Content, Event

from . import sor_vocabulary as V
from .report import active_policy
from .validation import check_statement

END_DATE_FIELD = {"decision_visibility": "end_date_visibility_restriction",
                  "decision_monetary": "end_date_monetary_restriction",
                  "decision_provision": "end_date_service_restriction",
                  "decision_account": "end_date_account_restriction"}
KEYWORD_BY_AREA = {"election_misinformation": "KEYWORD_MISINFORMATION_DISINFORMATION",
                   "covert_influence": "KEYWORD_COORDINATED_HARM",
                   "impersonation": "KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING",
                   "ai_generated": "KEYWORD_MISINFORMATION_DISINFORMATION",
                   "fake_engagement": "KEYWORD_INAUTHENTIC_ACCOUNTS"}
# Labels that inform rather than restrict: who an account is, where to find voting information.
INFORMATIONAL_LABELS = frozenset({"election_info_banner", "government_official", "politician", "political_party",
                                  "state_affiliated_media"})
BUSINESS_CATEGORIES = {"news_org", "state_media", "political_party", "government"}
DEFAULT_GROUND = {"ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT", "category": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"}
_CHUNK = 1000


@dataclass
class ExportResult:
    written: int = 0
    batches: int = 0
    outside_scope: int = 0
    informational: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"written": self.written, "batches": self.batches, "outside_eu_scope": self.outside_scope,
                "informational_labels": self.informational,
                "rejected": len(self.rejected), "rejections": self.rejected}


def restrictions(since: dt.datetime, until: dt.datetime) -> Any:
    """Enforced restrictions that took effect in [since, until), in log order."""
    return (Decision.objects.filter(mode="enforce", effect="apply", action__in=sorted(RESTRICTIONS),
                                    start__gte=since, start__lt=until).order_by("seq"))


@dataclass
class _Subjects:
    """What statements need to know about the subjects of a chunk of decisions."""

    content: dict[str, dict[str, Any]]
    ads: dict[str, dict[str, Any]]
    accounts: dict[str, dict[str, Any]]
    notices: dict[str, dt.datetime]

    @classmethod
    def load(cls, rows: list[Decision]) -> "_Subjects":
        ids = {t: {r.subject_id for r in rows if r.subject_type == t} for t in ("content", "ad", "account")}
        account_ids = ids["account"] | {r.account_id for r in rows if r.account_id}
        return cls(
            content={c["id"]: c for c in Content.objects.filter(id__in=ids["content"])
                     .values("id", "kind", "language", "region", "first_seen", "payload")},
            ads={a["id"]: a for a in Ad.objects.filter(id__in=ids["ad"]).values("id", "regions", "first_seen")},
            accounts={a["id"]: a for a in Account.objects.filter(id__in=account_ids)
                      .values("id", "category", "region", "first_seen")},
            notices=dict(Event.objects.filter(type="report.filed", subject_id__in={r.subject_key for r in rows})
                         .values("subject_id").annotate(first=Min("occurred_at")).values_list("subject_id", "first")))

    def regions(self, d: Decision) -> list[str]:
        if d.subject_type == "content":
            return [self.content.get(d.subject_id, {}).get("region") or ""]
        if d.subject_type == "ad":
            return list(self.ads.get(d.subject_id, {}).get("regions") or [])
        return [self.accounts.get(d.subject_id, {}).get("region") or ""]

    def first_seen(self, d: Decision) -> dt.datetime | None:
        table = {"content": self.content, "ad": self.ads, "account": self.accounts}.get(d.subject_type, {})
        return table.get(d.subject_id, {}).get("first_seen")


def is_informational(d: Decision) -> bool:
    """An identity or civic-information label restricts nothing, so it needs no statement of reasons."""
    return d.action in ("label", "add_banner") and bool(d.labels) and set(d.labels) <= INFORMATIONAL_LABELS


def eu_scope(d: Decision, subjects: _Subjects) -> list[str]:
    scope = d.territorial_scope or sorted({r.split("-")[0] for r in subjects.regions(d) if r})
    return sorted(set(scope) & V.TERRITORIES)


def content_types(d: Decision, subjects: _Subjects) -> tuple[list[str], str]:
    if d.subject_type == "content":
        c = subjects.content.get(d.subject_id, {})
        media = {m.get("type") for m in (c.get("payload") or {}).get("media", [])}
        types = {"CONTENT_TYPE_VIDEO" if c.get("kind") in ("video", "live") else "CONTENT_TYPE_TEXT"}
        types |= {"CONTENT_TYPE_IMAGE" for t in media if t == "image"} | {"CONTENT_TYPE_AUDIO" for t in media if t == "audio"}
        if d.area == "ai_generated" or {"ai_generated", "ai_generated_self_disclosed"} & set(d.labels):
            types.add("CONTENT_TYPE_SYNTHETIC_MEDIA")
        return sorted(types), ""
    return ["CONTENT_TYPE_OTHER"], {"ad": "Advertisement", "account": "Account"}.get(d.subject_type, d.subject_type)


def statement_for(d: Decision, subjects: _Subjects, scope: list[str]) -> dict[str, Any]:
    policy = active_policy()
    rule = policy.rule(d.rule_id) if policy else None
    area_dsa = (policy.areas.get(d.area, {}) if policy else {}).get("dsa", {}) or {}
    ground = d.dsa_ground or area_dsa.get("ground") or DEFAULT_GROUND["ground"]
    rule_dsa = (rule.dsa if rule else {}) or {}
    restriction_field, restriction = RESTRICTIONS[d.action]
    types, other_type = content_types(d, subjects)
    first_seen = subjects.first_seen(d) or d.start
    notice = subjects.notices.get(d.subject_key)
    account = subjects.accounts.get(d.account_id or (d.subject_id if d.subject_type == "account" else ""), {})
    s: dict[str, Any] = {
        restriction_field: [restriction] if restriction_field == "decision_visibility" else restriction,
        "decision_ground": ground,
        "content_type": types,
        "category": d.dsa_category or area_dsa.get("category") or DEFAULT_GROUND["category"],
        "territorial_scope": scope,
        "content_date": first_seen.date().isoformat(),
        "application_date": d.start.date().isoformat(),
        "decision_facts": f"{d.explanation or 'Decision under the platform policy.'} "
                          f"(rule {d.rule_id}, policy {d.policy_version}, decision #{d.seq})"[:5000],
        "source_type": "SOURCE_ARTICLE_16" if notice and notice <= d.start else "SOURCE_VOLUNTARY",
        "automated_detection": "Yes" if d.automated_detection else "No",
        "automated_decision": d.automated_decision,
        "puid": f"civicshield-decision-{d.seq}",
    }
    if other_type:
        s["content_type_other"] = other_type
    if d.end:
        s[END_DATE_FIELD[restriction_field]] = d.end.date().isoformat()
    if d.area in KEYWORD_BY_AREA:
        s["category_specification"] = [KEYWORD_BY_AREA[d.area]]
    language = (subjects.content.get(d.subject_id, {}).get("language") or "").upper() if d.subject_type == "content" else ""
    if language in V.LANGUAGES:
        s["content_language"] = language
    if account.get("category"):
        s["account_type"] = "ACCOUNT_TYPE_BUSINESS" if account["category"] in BUSINESS_CATEGORIES else "ACCOUNT_TYPE_PRIVATE"
    if ground == "DECISION_GROUND_ILLEGAL_CONTENT":
        if rule_dsa.get("legal_ground"):
            s["illegal_content_legal_ground"] = rule_dsa["legal_ground"]
        s["illegal_content_explanation"] = (rule_dsa.get("explanation") or d.explanation)[:2000]
    else:
        s["incompatible_content_ground"] = f"Policy area {d.area or 'unspecified'}, rule {d.rule_id}"[:500]
        s["incompatible_content_explanation"] = (d.explanation or (rule.explanation if rule else "") or
                                                 "Content incompatible with the terms of service.")[:2000]
        s["incompatible_content_illegal"] = "No"
    return s


def statements(since: dt.datetime, until: dt.datetime, result: ExportResult,
               progress: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Valid statements for the period; decisions outside EU scope or failing validation are counted."""
    rows = restrictions(since, until)
    last = 0
    while True:
        chunk = list(rows.filter(seq__gt=last)[:_CHUNK])
        if not chunk:
            return
        last = chunk[-1].seq
        if progress:
            progress(len(chunk))
        subjects = _Subjects.load(chunk)
        for d in chunk:
            if is_informational(d):
                result.informational += 1
                continue
            scope = eu_scope(d, subjects)
            if not scope:
                result.outside_scope += 1
                continue
            s = statement_for(d, subjects, scope)
            problems = [f"{name}: {message}" if name else message for name, message in check_statement(s)]
            if problems:
                result.rejected.append({"decision": d.seq, "puid": s["puid"], "problems": problems})
                continue
            yield s


def export_statements(since: dt.datetime, until: dt.datetime, out: Path, *, batch_size: int = V.BATCH_MAX,
                      progress: Callable[[int], None] | None = None) -> ExportResult:
    if not 1 <= batch_size <= V.BATCH_MAX:
        raise ValueError(f"batch size must be 1..{V.BATCH_MAX}")
    result = ExportResult()
    out.parent.mkdir(parents=True, exist_ok=True)
    batch: list[dict[str, Any]] = []
    with out.open("w", encoding="utf-8") as fh:
        for s in statements(since, until, result, progress):
            batch.append(s)
            if len(batch) == batch_size:
                _write(fh, batch, result)
                batch = []
        if batch:
            _write(fh, batch, result)
    return result


def _write(fh: Any, batch: list[dict[str, Any]], result: ExportResult) -> None:
    fh.write(json.dumps({"statements": batch}, ensure_ascii=False, sort_keys=True) + "\n")
    result.written += len(batch)
    result.batches += 1
