"""The political-ad detector: is this ad (or paid-partnership post) political, and what says so?

Every ad is checked at submission. The lexicon finds parties, candidates and officials, elections and
ballot measures, calls to vote and issue advocacy in six languages; names known only at run time join
it (the official-account registry, politician and party accounts, the election in view). The learned
head (`head.py`, trained on real ads) weighs the ad's multilingual sentence embedding together with
those hits into one probability, so ads in words no lexicon lists (a candidate's own pitch, a petition
to lawmakers, a union campaign) are caught too. The evidence carries the categories and terms that
matched, the lexicon's weight in the decision, the public-service topic a verified government agency
may be exempt for, the model version, and a sentence a reviewer or advertiser can read.
Pure: no Django, no I/O after the shipped files are loaded (lazily, once per process).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar, Iterable, Mapping

from civicshield.core.verdict import Signal

from civicshield.core.heads import rescale
from civicshield.core.textrep import encoder_for, shared_encoder

from .head import SHIPPED_ENCODERS, ad_features, political_ad_head
from .lexicon import CATEGORIES, Hits, Lexicon, default_lexicon

OFFICIALS_RESOURCE = "verification.officials"
NAMES_RESOURCE = "ads.political_names"
POLITICAL_CATEGORIES = ("government", "politician", "political_party")
REASON_CODES: dict[str, str] = {"party": "names_party", "office": "names_candidate_or_official",
                                "election": "election_or_ballot_measure", "call_to_vote": "call_to_vote",
                                "issue_advocacy": "issue_advocacy"}


def runtime_names(context: Any) -> list[tuple[str, str]]:
    """(name, category) pairs that the shipped lexicon cannot know: registry, accounts, election."""
    resources: Mapping[str, Any] = getattr(context, "resources", None) or {}
    names = [(str(n), str(c)) for n, c in resources.get(NAMES_RESOURCE, ())]
    names.extend((name, "office") for name in _registry_names(resources.get(OFFICIALS_RESOURCE)))
    election = getattr(context, "election", None) or {}
    if election.get("name"):
        names.append((str(election["name"]), "election"))
    return names


def _field(entry: Any, key: str) -> str:
    value = entry.get(key) if isinstance(entry, Mapping) else getattr(entry, key, None)
    return str(value) if value else ""


def _political_officials(registry: Any) -> Iterable[tuple[str, Any]]:
    """(account id, entry) for the registry's government, politician and party accounts."""
    if not isinstance(registry, Mapping):
        return []
    return [(k, e) for k, e in registry.items() if _field(e, "category") in POLITICAL_CATEGORIES]


def _registry_names(registry: Any) -> Iterable[str]:
    """Names in the official-account registry; nothing when the registry is absent."""
    return [name for _, entry in _political_officials(registry)
            for name in {_field(entry, "display_name"), _field(entry, "official_name")} if name]


def advertiser_is_official(context: Any) -> bool:
    """True when the advertiser is a verified government, politician or party account in the registry."""
    account = getattr(context, "account", None)
    registry = (getattr(context, "resources", None) or {}).get(OFFICIALS_RESOURCE)
    if account is None or not isinstance(registry, Mapping):
        return False
    entry = registry.get(account.id)
    return entry is not None and _field(entry, "category") in POLITICAL_CATEGORIES


def explain(score: float, hits: Hits, lexicon: Lexicon) -> str:
    parts = [f"{lexicon.explanations[c]} ({', '.join(repr(t) for t in sorted(hits.terms[c]))})"
             for c in CATEGORIES if hits.terms.get(c)]
    found = "; ".join(parts) if parts else "no political term; the multilingual model judged the text as a whole"
    return f"Political-content score {score:.2f}: {found}."


class PoliticalAdDetector:
    name: ClassVar[str] = "political_ad"
    cost: ClassVar[int] = 20
    applies_to: ClassVar[frozenset[str]] = frozenset({"ad", "content"})
    gate: ClassVar[str | None] = None

    def load(self) -> None:
        for encoder in SHIPPED_ENCODERS:
            shared_encoder(political_ad_head(encoder).encoder).load()

    @cached_property
    def lexicon(self) -> Lexicon:
        return default_lexicon()

    def detect(self, subject: Any, context: Any, signals: dict[str, Signal]) -> Iterable[Signal]:
        if subject.subject_type == "content" and not getattr(subject, "paid_partnership", False):
            return
        language = signals.get("language")
        yield self.assess_text(subject.analysed_text, context, str(language.value) if language else None)

    def assess_text(self, text: str, context: Any = None, language: str | None = None) -> Signal:
        """The signal for one text; also used for unpaid posts by the coordinated-script scan."""
        hits = self.lexicon.match(text, runtime_names(context))
        head = political_ad_head(encoder_for(language))
        features = ad_features(text, hits)
        probability = head.probability(shared_encoder(head.encoder).vector(text), features)
        # The head's operating points land on the policy's: "high" (precision) on 0.7, reject; "low"
        # (recall) on 0.35, the start of the band held for a person.
        score = rescale(probability, head.thresholds["low"], head.thresholds["high"], low_to=0.35, high_to=0.7)
        strongest = max(CATEGORIES, key=hits.strength) if hits.terms else ""
        evidence = {
            "categories": hits.as_evidence(),
            "reason_code": REASON_CODES.get(strongest, "political_content") if score >= 0.5 else "",
            "classifier": {"probability": round(probability, 4), "model": head.version,
                           "lexicon_weights": head.contributions(features)},
            "exemption": hits.exemption_topics[0] if hits.exemption_topics and not hits.partisan else "",
            "advertiser_official": advertiser_is_official(context),
            "explanation": explain(score, hits, self.lexicon),
        }
        return Signal(self.name, score, evidence, self.name)
