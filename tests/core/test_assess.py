"""The pure core: same inputs and policy version give the same verdict; the matrix and modes hold."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import ClassVar

from civicshield.core.assess import Context, assess
from civicshield.core.detectors import Registry
from civicshield.core.events import parse_event
from civicshield.core.language import LanguageDetector
from civicshield.core.policy import load_policy
from civicshield.core.verdict import Signal
from civicshield.elections.relevance import ElectionRelevanceDetector
from civicshield.policies import DEFAULT_POLICY_DIR
from tests.conftest import ev_account, ev_content

ELECTION = {"upcoming": True, "days_to_election": 10, "name": "General", "country": "US", "date": "2026-11-03",
            "date_status": "declared", "in_election_period": True}


def registry(*extra) -> Registry:
    r = Registry()
    for d in (LanguageDetector(), ElectionRelevanceDetector(), *extra):
        r.register(d)
    return r


def verdict_for(text: str, account=None, policy=None, reg=None, content_id=None, **content):
    subject = parse_event(ev_content(content_id, text=text, **content)).payload
    acct = parse_event(account).payload if account else None
    return assess(subject, Context(policy or load_policy(DEFAULT_POLICY_DIR), reg or registry(), acct, ELECTION))


def test_election_posts_get_the_election_center_banner_and_chatter_does_not():
    voting = verdict_for("Check your polling place before election day")
    assert voting.actions == ("add_banner",) and voting.labels == ("election_info_banner",)
    assert voting.signals["election_relevance"].evidence["terms"] == ["election day", "polling place"]
    assert verdict_for("Best tacos in town, no contest").actions == ("allow",)


def test_multilingual_relevance_and_language_signals():
    v = verdict_for("¿Dónde está mi colegio electoral para las elecciones?")
    assert v.signals["language"].value == "es"
    assert "election_info_banner" in v.labels


def test_same_inputs_same_policy_version_same_verdict():
    a = verdict_for("Polling places are closed, vote by text message", views=50_000, content_id="p1")
    b = verdict_for("Polling places are closed, vote by text message", views=50_000, content_id="p1")
    assert a == b and a.as_dict("e") == b.as_dict("e")


def test_procedural_claims_near_an_election_go_to_review_with_reasons():
    v = verdict_for("Polling place moved: election day voting is now by text message", views=5_000)
    assert v.queue == "misinformation"
    assert "civic.procedural_claim_triage" in [r.rule_id for r in v.reasons]
    assert all(r.policy_version == v.policy_version for r in v.reasons)


def test_shadow_rules_are_reported_but_do_not_act():
    v = verdict_for("Vote on election day, find your polling place", views=500_000)
    shadow = [r for r in v.reasons if r.mode == "shadow"]
    assert [r.rule_id for r in shadow] == ["civic.reach_watch"]
    assert "restrict_recommendation" not in v.actions


def test_a_policy_set_in_shadow_mode_reports_what_it_would_do_and_does_nothing(tmp_path: Path):
    target = tmp_path / "shadow"
    shutil.copytree(DEFAULT_POLICY_DIR, target)
    settings = (target / "policyset.yaml").read_text()
    (target / "policyset.yaml").write_text(settings.replace("mode: enforce", "mode: shadow", 1))
    (target / "zz.yaml").write_text(
        "rules:\n  - {id: t.remove_lies, area: election_misinformation, applies_to: [content],"
        " when: 'subject.text.contains(\"text message\")', actions: [remove, strike], queue: misinformation,"
        " explanation: x}\n")
    text = "Polling place moved: election day voting is now by text message"
    enforced = verdict_for(text, views=5_000)
    shadowed = verdict_for(text, views=5_000, policy=load_policy(target))
    assert enforced.actions != ("allow",) and enforced.queue == "misinformation"
    assert shadowed.actions == ("allow",) and shadowed.queue is None and shadowed.labels == ()
    # what it would have done is still reported, rule by rule
    would = {r.rule_id for r in shadowed.reasons}
    assert {"t.remove_lies", "civic.election_banner"} <= would
    assert all(r.mode == "shadow" for r in shadowed.reasons)


def test_the_enforcement_matrix_turns_removal_of_a_politician_into_review(tmp_path: Path):
    target = tmp_path / "p"
    shutil.copytree(DEFAULT_POLICY_DIR, target)
    (target / "zz.yaml").write_text(
        "rules:\n  - {id: t.remove_lies, area: election_misinformation, applies_to: [content],"
        " when: 'subject.text.contains(\"text message\")', actions: [remove, strike], explanation: x}\n")
    policy = load_policy(target)
    ordinary = verdict_for("vote by text message", policy=policy)
    assert {"remove", "strike"} <= set(ordinary.actions)
    politician = verdict_for("vote by text message", policy=policy,
                             account=ev_account("pol", category="politician", verified=True))
    assert "remove" not in politician.actions and "strike" not in politician.actions
    assert "hold_for_review" in politician.actions
    assert any(r.rule_id == "matrix.politician" for r in politician.reasons)


class CostlyDetector:
    name: ClassVar[str] = "costly"
    cost: ClassVar[int] = 90
    applies_to: ClassVar[frozenset[str]] = frozenset({"content"})
    gate: ClassVar[str] = "signals.election_relevance.value >= 0.5"
    calls: ClassVar[list[str]] = []

    def detect(self, subject, context, signals):
        CostlyDetector.calls.append(subject.id)
        yield Signal(self.name, 1.0, {"saw": signals["election_relevance"].value})


def test_costly_detectors_only_run_when_their_gate_passes():
    CostlyDetector.calls.clear()
    reg = registry(CostlyDetector())
    assert reg.names == ["language", "election_relevance", "costly"]  # cheap first
    chatter = verdict_for("Best tacos in town, no contest", reg=reg)
    voting = verdict_for("Find your polling place on election day", reg=reg)
    assert "costly" not in chatter.signals
    assert voting.signals["costly"].evidence["saw"] > 0.5
    assert len(CostlyDetector.calls) == 1


def test_detectors_are_discovered_through_entry_points():
    assert {"language", "election_relevance"} <= set(Registry.from_entry_points().names)
