"""Procedural-claim check: statements about how, when and where to vote, compared with official facts.

False procedural claims ("you can vote by text", "Democrats vote on Wednesday", "Texas has same-day
registration") are harmful long before a fact-checker gets to them, and they can be checked against the
authoritative voter information we already hold. This detector finds such claims with patterns in
English and Spanish, works out which jurisdiction they are about (a state named in the text, else the
subject's or account's region), and compares them with the voter facts the Election Center serves
(`context.resources["voter_facts"]`: region code such as "US-TX" -> jurisdiction record, plus "US" for
national facts). The signal carries the correct fact and its source, so a label or a reviewer can quote
it. Claims we have no facts for (ID, polling hours) are reported as "unverified", never as false.
Pure: no Django, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, ClassVar, Iterable, Mapping

from civicshield.core.verdict import Signal

from .relevance import fold

RESOURCE = "voter_facts"
SPANISH_STATE_NAMES = {
    "nueva york": "NY",
    "nuevo mexico": "NM",
    "carolina del norte": "NC",
    "carolina del sur": "SC",
    "dakota del norte": "ND",
    "dakota del sur": "SD",
    "pensilvania": "PA",
    "luisiana": "LA",
    "misuri": "MO",
    "misisipi": "MS",
    "virginia occidental": "WV",
    "hawai": "HI",
    "nueva jersey": "NJ",
    "nuevo hampshire": "NH",
    "distrito de columbia": "DC",
    "washington dc": "DC",
    "washington d.c.": "DC",
    "district of columbia": "DC",
}
# "Vote for your favourite pizza by text" is not about an election: remote-voting claims need one of
# these words (or a named jurisdiction) nearby before they count.
_ELECTORAL_CONTEXT = re.compile(
    r"\b(?:elect\w*|ballot\w*|president\w*|senat\w*|congress\w*|governor|mayor|candidat\w*|primar\w*|midterm"
    r"|polls?|democrat\w*|republican\w*|eleccion\w*|presiden\w*|biden|trump|harris|hillary|clinton|voter)\b"
)
_NEG = r"(?:can ?not|can't|cannot|don't|do not|no|not|never|won't|unable|no (?:se )?puede[sn]?|no es posible)"

_NEG_BEFORE = re.compile(r"\b" + _NEG + r"\b\W*(?:\w+\W+){0,2}$")


@dataclass(frozen=True)
class Claim:
    """One procedural statement found in a text."""

    kind: str
    quote: str
    negated: bool = False
    number: int | None = None
    day: str | None = None


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# kind -> patterns over folded text. Named group `num` carries a number of days, `day` a weekday.
PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "remote_voting": [
        _c(
            r"\b(?:vote|voting|cast (?:your|a|their) (?:vote|ballot)s?)\b[^.!?\n]{0,40}?\b(?:by|via|through|over|with)"
            r" (?:a )?(?:text(?:ing)?|text message|sms|phone|telephone|phone call|call|app|tweet|twitter|facebook"
            r"|email|e-mail|internet|instagram|whatsapp)\b"
        ),
        _c(r"\btext (?:[a-z\"'“”]+ )?(?:to )?\d{3,6}\b[^.!?\n]{0,40}\bvote\b"),
        _c(r"\b(?:vote|voting)\b[^.!?\n]{0,20}\btext(?:ing)? (?:[a-z\"'“”]+ )?to \d{3,6}\b"),
        _c(
            r"\bvotar?(?:\w*)? (?:por|con|via|mediante) (?:un )?(?:mensaje de texto|mensaje|sms|telefono|llamada"
            r"|internet|correo electronico|whatsapp)\b"
        ),
    ],
    "split_election_day": [
        _c(
            r"\b(?:democrats?|republicans?|democratas?|republicanos?)\b[^.!?\n]{0,30}\b(?:vote|votan|votaran)\b"
            r"[^.!?\n]{0,15}\b(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|lunes"
            r"|martes|miercoles|jueves|viernes|sabado|domingo|manana)\b"
        ),
    ],
    "same_day_registration": [
        _c(
            r"\b(?P<neg>"
            + _NEG
            + r"\b[^.!?\n]{0,25})?\bregister\b[^.!?\n]{0,30}\b(?:on|at the polls on) election"
            r" day\b"
        ),
        _c(r"\b(?P<neg>" + _NEG + r"\b[^.!?\n]{0,15})?\bsame[- ]day (?:voter )?registration\b"),
        _c(
            r"\b(?P<neg>no (?:se )?puede[sn]? )?registrarse\b[^.!?\n]{0,30}\bel dia de (?:la )?eleccion(?:es)?\b"
        ),
    ],
    "online_registration": [
        _c(r"\b(?P<neg>" + _NEG + r"\b[^.!?\n]{0,25})?\bregister\b(?: to vote)? online\b"),
        _c(r"\bonline (?:voter )?registration (?:is )?(?P<neg>not |isn't )?(?:available|offered)\b"),
        _c(r"\b(?P<neg>no (?:se )?puede[sn]? )?registrarse (?:para votar )?(?:en linea|por internet)\b"),
    ],
    "registration_deadline": [
        _c(
            r"\b(?:deadline to register|registration deadline|register to vote)\b[^.!?\n]{0,40}?\b(?P<num>\d{1,2})"
            r" days (?:before|prior)\b"
        ),
        _c(r"\bregistrarse\b[^.!?\n]{0,40}?\b(?P<num>\d{1,2}) dias antes\b"),
    ],
    "noncitizen_voting": [
        _c(
            r"\b(?:non-?citizens|undocumented (?:immigrants|people)|illegal (?:aliens|immigrants))\b[^.!?\n]{0,20}"
            r"\b(?:can|may|are allowed to|are able to) vote\b[^.!?\n]{0,30}\b(?:federal|presidential|for president"
            r"|congress|in the election)\b"
        ),
    ],
    "voter_id": [
        _c(r"\b(?:need|bring|require[sd]?|must show)\b[^.!?\n]{0,20}\b(?:photo )?id\b[^.!?\n]{0,20}\bvote\b"),
        _c(r"\b(?:identificacion|id)\b[^.!?\n]{0,20}\bpara votar\b"),
    ],
    "polling_hours": [
        _c(r"\bpolls? (?:open|close|closes|opens)\b[^.!?\n]{0,20}\b\d{1,2}(?::\d{2})? ?(?:a\.?m|p\.?m)"),
        _c(r"\b(?:las )?casillas? (?:abren|cierran)\b[^.!?\n]{0,20}\b\d{1,2}"),
    ],
}


@lru_cache(maxsize=4096)
def find_claims(text: str) -> tuple[Claim, ...]:
    """All procedural statements in `text`, in order of appearance. Remembered per text: the facts check
    and both heads' features read the same claims."""
    folded = fold(text)
    found: list[tuple[int, Claim]] = []
    for kind, patterns in PATTERNS.items():
        for pattern in patterns:
            for m in pattern.finditer(folded):
                groups = m.groupdict()
                negated = bool(groups.get("neg")) or bool(
                    _NEG_BEFORE.search(folded[max(0, m.start() - 30) : m.start()])
                )
                found.append(
                    (
                        m.start(),
                        Claim(
                            kind,
                            m.group(0).strip(),
                            negated,
                            int(groups["num"]) if groups.get("num") else None,
                            groups.get("day"),
                        ),
                    )
                )
    seen: set[str] = set()
    claims = []
    for _, claim in sorted(found, key=lambda t: t[0]):
        if claim.kind not in seen:
            seen.add(claim.kind)
            claims.append(claim)
    return tuple(claims)


_NAMES: dict[int, tuple[Mapping[str, Any], dict[str, str]]] = {}


def _state_names(facts: Mapping[str, Any]) -> dict[str, str]:
    """Folded state names → region code, built once per facts mapping (it is rebuilt only on reload)."""
    hit = _NAMES.get(id(facts))
    if hit is not None and hit[0] is facts:
        return hit[1]
    names = {
        fold(rec["name"]): code for code, rec in facts.items() if isinstance(rec, Mapping) and "-" in code
    }
    names.update({name: f"US-{code}" for name, code in SPANISH_STATE_NAMES.items() if f"US-{code}" in facts})
    if len(_NAMES) > 8:
        _NAMES.clear()
    _NAMES[id(facts)] = (facts, names)  # holding `facts` keeps its id from being reused
    return names


def jurisdiction_for(text: str, facts: Mapping[str, Any], *regions: str | None) -> str | None:
    """The region a claim is about: a US state named in the text, else the first known region given."""
    names = _state_names(facts)
    if names:
        pattern, index = _name_pattern(tuple(sorted(names.items())))
        m = pattern.search(fold(text))
        if m:
            return index[m.group(1)]
    for region in regions:
        if region and region in facts:
            return region
    return None


@lru_cache(maxsize=8)
def _name_pattern(names: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    index: dict[str, str] = {}
    for name, code in names:
        index[name] = code
        stem = name[:-1] if name.endswith("as") else name  # "Texans", "Californians"
        for form in (stem + "ns", stem + "n"):
            index.setdefault(form, code)
    # Longest alternative first, so "west virginia" wins over "virginia".
    alternatives = sorted(index, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, alternatives)) + r")(?!\w)"), index


def _fact(record: Mapping[str, Any] | None, field: str) -> Mapping[str, Any] | None:
    if not record:
        return None
    return (record.get("facts") or {}).get(field)


Check = Callable[
    [Claim, Mapping[str, Any] | None, Mapping[str, Any]], tuple[str, str, Mapping[str, Any] | None]
]


def _remote(claim: Claim, state: Mapping[str, Any] | None, national: Mapping[str, Any]):
    fact = _fact(national, "ballot_casting_methods")
    return ("false" if not claim.negated else "consistent"), "ballot_casting_methods", fact


def _split_day(claim: Claim, state: Mapping[str, Any] | None, national: Mapping[str, Any]):
    return (
        ("consistent" if claim.negated else "false"),
        "single_election_day",
        _fact(national, "single_election_day"),
    )


def _same_day(claim: Claim, state: Mapping[str, Any] | None, national: Mapping[str, Any]):
    fact = _fact(state, "same_day_registration")
    if fact is None or fact["value"] in ("unknown", "not_applicable"):
        return "unverified", "same_day_registration", fact
    offered = fact["value"] in ("yes", "early_voting_only")
    if claim.negated:
        return ("false" if offered else "consistent"), "same_day_registration", fact
    return ("consistent" if fact["value"] == "yes" else "false"), "same_day_registration", fact


def _online(claim: Claim, state: Mapping[str, Any] | None, national: Mapping[str, Any]):
    fact = _fact(state, "online_registration")
    if fact is None:
        return "unverified", "online_registration", fact
    offered = bool(fact["value"]["offered"])
    says_offered = not claim.negated
    return ("consistent" if offered == says_offered else "false"), "online_registration", fact


def _deadline(claim: Claim, state: Mapping[str, Any] | None, national: Mapping[str, Any]):
    rules = [
        (name, _fact(state, name)) for name in ("deadline_in_person", "deadline_online", "deadline_mail")
    ]
    rules = [(n, f) for n, f in rules if f and f["value"]]
    if not rules or claim.number is None:
        return "unverified", "deadline_in_person", rules[0][1] if rules else None
    for name, f in rules:
        v = f["value"]
        if claim.number in (v.get("days_before"), v.get("postmarked_days_before")):
            return "consistent", name, f
    return "false", rules[0][0], rules[0][1]


def _noncitizen(claim: Claim, state: Mapping[str, Any] | None, national: Mapping[str, Any]):
    return "false", "federal_citizenship_requirement", _fact(national, "federal_citizenship_requirement")


def _unverified(claim: Claim, state: Mapping[str, Any] | None, national: Mapping[str, Any]):
    return "unverified", claim.kind, None


CHECKS: dict[str, Check] = {
    "remote_voting": _remote,
    "split_election_day": _split_day,
    "same_day_registration": _same_day,
    "online_registration": _online,
    "registration_deadline": _deadline,
    "noncitizen_voting": _noncitizen,
    "voter_id": _unverified,
    "polling_hours": _unverified,
}


def check_claims(text: str, facts: Mapping[str, Any], *regions: str | None) -> dict[str, Any] | None:
    """Compare every procedural claim in `text` with `facts`; None when the text makes no such claim."""
    claims = find_claims(text)
    named = jurisdiction_for(text, facts)
    if not named and not _ELECTORAL_CONTEXT.search(fold(text)):
        claims = [c for c in claims if c.kind != "remote_voting"]
    if not claims:
        return None
    region = named or jurisdiction_for(text, facts, *regions)
    country = (region or next((r for r in regions if r), "") or "").split("-")[0]
    state = facts.get(region) if region and "-" in region else None
    national = facts.get(country) or facts.get("US") or {}
    results = []
    for claim in claims:
        verdict, field, fact = CHECKS[claim.kind](claim, state, national)
        if fact is None and verdict == "false":
            verdict = "unverified"
        entry: dict[str, Any] = {
            "kind": claim.kind,
            "quote": claim.quote,
            "verdict": verdict,
            "field": field,
            "jurisdiction": region if state else country or None,
        }
        if fact is not None:
            entry["correct_fact"] = explain(field, fact, (state or {}).get("name") or "the United States")
            entry.update({k: fact.get(k) for k in ("source_url", "as_of", "last_verified", "verified_by")})
        results.append(entry)
    verdicts = {r["verdict"] for r in results}
    value = "false" if "false" in verdicts else "consistent" if verdicts == {"consistent"} else "unverified"
    evidence: dict[str, Any] = {"claims": results, "jurisdiction": region}
    first_false = next((r for r in results if r["verdict"] == "false"), None)
    if first_false:
        evidence.update({k: first_false.get(k) for k in ("correct_fact", "source_url", "last_verified")})
    return {"value": value, "evidence": evidence}


def explain(field: str, fact: Mapping[str, Any], place: str) -> str:
    """The correct fact as a sentence a label or a reviewer can quote."""
    value = fact["value"]
    if field == "online_registration":
        return (
            f"{place} offers online voter registration: {value['url']}"
            if value["offered"]
            else f"{place} does not offer online voter registration."
        )
    if field == "same_day_registration":
        return {
            "yes": f"{place} lets eligible voters register on Election Day.",
            "early_voting_only": f"{place} offers same-day registration during early voting only, "
            "not on Election Day.",
            "no": f"{place} does not offer same-day registration; the registration deadline comes before "
            "Election Day.",
        }.get(value, f"{place}: {value}")
    if field.startswith("deadline_"):
        how = field.removeprefix("deadline_").replace("_", " ")
        return f"{place} registration deadline ({how}): {value['text']}."
    if isinstance(value, str):
        return value
    return f"{place}: {value}"


def assess_procedural(text: str, facts: Mapping[str, Any], *regions: str | None,
                      language: str | None = None) -> dict[str, Any] | None:
    """The procedural-claim finding for one text, or None when it makes no claim about voting procedure.

    Three sources, strongest first: a known false voting narrative, when the text holds the narrative's
    distinctive word and either resembles one of its wordings past the calibrated floor or is judged a
    false voting claim by the voting-hoax head (any covered language; false, with the debunking source
    and the nearest wording); a pattern-found claim compared with the voter facts (false, consistent or
    unverified, with the fact quoted); a statement the learned heads judge to be about how, when, where
    or who can vote, or to be a voting hoax, that nothing here can settle (unverified, never false).
    """
    from civicshield.core.textrep import encoder_for, shared_encoder

    from .heads import hoax_features, hoax_head, procedural_features, procedural_head, surface_of
    from .narratives import catalogue_for

    head = procedural_head(encoder_for(language))
    hoax = hoax_head(head.encoder)
    vector = shared_encoder(head.encoder).vector(text)
    probability = head.probability(vector, procedural_features(text))
    checked = check_claims(text, facts, *regions) if facts else None
    catalogue = catalogue_for(head.encoder)
    features, nearest = hoax_features(text, vector, catalogue, checked, surface=surface_of(hoax))
    hoax_probability = hoax.probability(vector, features)
    model = {"model": head.version, "probability": round(probability, 4),
             "hoax_model": hoax.version, "hoax_probability": round(hoax_probability, 4)}
    by_meaning = nearest is not None and nearest.similarity >= catalogue.floor and nearest.margin >= catalogue.margin
    by_model = nearest is not None and hoax_probability >= hoax.thresholds["high"]
    settled = checked is not None and checked["value"] in ("false", "consistent")
    if settled:
        # The voter facts settle it (for the jurisdiction named): their sentence is the explanation.
        assert checked is not None
        checked["evidence"].update(model, found_by="facts")
        if checked["value"] == "false" and (by_meaning or by_model):
            assert nearest is not None  # the facts settle it; the known narrative it repeats is named too
            checked["evidence"].update(
                narrative=nearest.narrative.as_evidence() | {"similarity": nearest.similarity,
                                                             "nearest_wording": nearest.anchor, "cue": nearest.cue},
                source=nearest.narrative.source, matched_by="meaning" if by_meaning else "model")
        checked["evidence"]["explanation"] = _explain_checked(checked)
        return checked
    if by_meaning or by_model:
        assert nearest is not None
        known = nearest.narrative
        evidence: dict[str, Any] = dict((checked or {}).get("evidence", {}))
        claims = list(evidence.get("claims", []))
        claims.insert(0, {"kind": known.kind, "quote": text[:280], "verdict": "false", "field": "narrative",
                          "jurisdiction": evidence.get("jurisdiction")})
        evidence.update(claims=claims, narrative=known.as_evidence() | {"similarity": nearest.similarity,
                                                                        "nearest_wording": nearest.anchor,
                                                                        "cue": nearest.cue},
                        found_by="narrative", matched_by="meaning" if by_meaning else "model",
                        correct_fact=known.correct, source_url=known.source.get("url", ""),
                        source=known.source, **model)
        evidence["explanation"] = (f"Repeats the known false voting narrative \"{known.summary}\" "
                                   f"(debunked by {known.source.get('publisher', 'a fact-checker')}; "
                                   f"the post says \"{nearest.cue}\"). {known.correct}")
        return {"value": "false", "evidence": evidence}
    if checked is not None:
        checked["evidence"].update(model, found_by="facts")
        checked["evidence"]["explanation"] = _explain_checked(checked)
        return checked
    if probability >= head.thresholds["high"] or hoax_probability >= hoax.thresholds["high"]:
        explanation = ("States how, when, where or who can vote, but no voter fact held here settles it; "
                       "unverified, not false.")
        if hoax_probability >= hoax.thresholds["high"]:
            explanation = ("Reads like a false claim about voting, but it names no known narrative and no voter "
                           "fact held here settles it; unverified, not false, until a person or a fact-check decides.")
        return {"value": "unverified", "evidence": {
            "claims": [{"kind": "other", "quote": text[:280], "verdict": "unverified", "field": None,
                        "jurisdiction": None}],
            "jurisdiction": None, "found_by": "model", **model, "explanation": explanation}}
    return None


def _explain_checked(result: dict[str, Any]) -> str:
    evidence = result["evidence"]
    if result["value"] == "false":
        known = evidence.get("narrative")
        repeats = (f" It repeats the known false voting narrative \"{known['summary']}\" (debunked by "
                   f"{known['source'].get('publisher', 'a fact-checker')})." if known else "")
        return f"Contradicts the official voter facts: {evidence.get('correct_fact', '')}{repeats}"
    if result["value"] == "consistent":
        return "Agrees with the official voter facts."
    return "A claim about voting procedure that the voter facts held here cannot settle; unverified, not false."


class ProceduralClaimDetector:
    """Yields `procedural_claim` for texts that state how, when or where to vote."""

    name: ClassVar[str] = "procedural_claim"
    cost: ClassVar[int] = 5
    applies_to: ClassVar[frozenset[str]] = frozenset({"content", "ad"})
    # Every text the election stage encoded is read (the encoding is already paid for): false voting
    # claims are often worded so that the relevance head is unsure of them.
    gate: ClassVar[str | None] = ("has(signals.election_relevance) && (signals.election_relevance.value >= 0.3"
                                  " || signals.election_relevance.evidence.stage == \"encoder\")")

    def load(self) -> None:
        from .heads import SHIPPED_ENCODERS, hoax_head, procedural_head, surface_of
        from .narratives import catalogue_for

        for encoder in SHIPPED_ENCODERS:
            procedural_head(encoder)
            surface_of(hoax_head(encoder))
            catalogue_for(encoder)

    def detect(self, subject: Any, context: Any, signals: dict[str, Signal]) -> Iterable[Signal]:
        facts = (getattr(context, "resources", None) or {}).get(RESOURCE) or {}
        account = getattr(context, "account", None)
        regions = [getattr(subject, "region", None)] + list(getattr(subject, "regions", []) or [])
        regions.append(getattr(account, "region", None))
        language = signals.get("language")
        result = assess_procedural(subject.analysed_text, facts, *regions,
                                   language=str(language.value) if language else None)
        if result is not None:
            yield Signal(self.name, result["value"], result["evidence"], self.name)
