"""Storing detected networks as cases for analysts, and flagging operators who come back.

A detection run becomes a `DetectionRun` and one `NetworkCase` per network (the same member set
keeps its case across runs). After storing, every new network is compared with the fingerprints of
networks already taken down; members that resemble a removed network are flagged as returning actors.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .fingerprint import account_traces, fingerprint, resemblance
from .models import DetectionRun, NetworkCase, NetworkMember, ReturningActor
from .disarm import techniques_for

# A newcomer is flagged when its resemblance reaches this: a shared /24 (0.7) or device (1.0) does,
# and so do behaviour traces making up at least half of what the newcomer did.
RETURNING_THRESHOLD = 0.5

@transaction.atomic
def store_detection(result: dict[str, Any], *, source: str, engine: str = "duckdb",
                    window: float = 60.0, detection_source: str = "internal") -> tuple[DetectionRun, list[NetworkCase]]:
    """Save a detection result (`Detection.as_dict()`) as cases; returns the run and its cases."""
    run = DetectionRun.objects.create(source=source[:300], engine=engine, window_seconds=window,
                                      stats=result.get("stats", {}))
    cases = []
    for network in result.get("networks", []):
        accounts = network.get("evidence", {}).get("infrastructure", {}).get("accounts", {})
        case, created = NetworkCase.objects.get_or_create(network_id=network["id"], defaults={
            "run": run, "score": network["score"], "behaviours": network["behaviours"],
            "evidence": network["evidence"], "fingerprint": fingerprint(network),
            "detection_source": detection_source, "tactics": techniques_for(network["behaviours"])})
        if created:
            NetworkMember.objects.bulk_create([
                NetworkMember(case=case, account_id=a, followers=int(accounts.get(a, {}).get("followers") or 0),
                              evidence=account_traces(a, network)) for a in network["members"]])
        cases.append(case)
    flag_returning_actors(cases)
    return run, cases


def flag_returning_actors(cases: list[NetworkCase]) -> list[ReturningActor]:
    """Compare new networks' members with every taken-down network; flag the resembling newcomers."""
    removed = list(NetworkCase.objects.filter(status="taken_down"))
    flags = []
    for case in cases:
        if case.status == "taken_down":
            continue
        for old in removed:
            former = set(old.fingerprint.get("members", []))
            for member in case.members.all():
                if member.account_id in former:
                    continue
                match = resemblance(old.fingerprint, member.evidence)
                if match.score >= RETURNING_THRESHOLD:
                    flag, _ = ReturningActor.objects.update_or_create(
                        removed=old, account_id=member.account_id,
                        defaults={"new_case": case, "similarity": match.score, "matched": match.matched})
                    flags.append(flag)
    return flags
