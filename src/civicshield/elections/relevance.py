"""Election relevance: is this text about an election, voting or the electoral process?

A multilingual lexicon baseline (16 languages) that is fast enough to run on every post and explains
itself: the evidence lists the terms that matched. Terms carry weights: "ballot" says more than
"candidate", and procedural terms ("polling place", "register to vote") are tracked separately because
they are what procedural-misinformation checks need. Pure: no Django, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, ClassVar, Iterable

from civicshield.core.heads import rescale
from civicshield.core.textrep import encoder_for, shared_encoder
from civicshield.core.verdict import Signal

# term -> (weight, procedural?). Terms are matched on accent-folded, lower-cased text at word starts.
LEXICON: dict[str, dict[str, tuple[float, bool]]] = {
    "en": {
        "election": (0.6, False),
        "elections": (0.6, False),
        "vote": (0.5, True),
        "voting": (0.55, True),
        "voter": (0.55, True),
        "ballot": (0.7, True),
        "polling place": (0.8, True),
        "polls": (0.45, True),
        "register to vote": (0.85, True),
        "voter registration": (0.85, True),
        "mail-in": (0.6, True),
        "absentee": (0.6, True),
        "early voting": (0.8, True),
        "election day": (0.8, True),
        "candidate": (0.35, False),
        "referendum": (0.6, False),
        "primary": (0.2, False),
        "electoral": (0.6, False),
        "rigged": (0.3, False),
        "recount": (0.6, False),
        "precinct": (0.6, True),
        "poll worker": (0.7, True),
        "campaign": (0.25, False),
        "votes": (0.45, True),
        "voters": (0.55, True),
        "electoral college": (0.8, False),
        "registration deadline": (0.5, True),
        "governor": (0.2, False),
        "senate": (0.25, False),
    },
    "es": {
        "elecciones": (0.6, False),
        "eleccion": (0.6, False),
        "votar": (0.55, True),
        "voto": (0.5, True),
        "votacion": (0.55, True),
        "papeleta": (0.7, True),
        "colegio electoral": (0.8, True),
        "mesa electoral": (0.8, True),
        "candidato": (0.35, False),
        "urnas": (0.6, True),
        "censo electoral": (0.8, True),
        "voto por correo": (0.85, True),
    },
    "fr": {
        "election": (0.6, False),
        "elections": (0.6, False),
        "voter": (0.55, True),
        "vote": (0.5, True),
        "scrutin": (0.7, False),
        "bulletin de vote": (0.8, True),
        "bureau de vote": (0.85, True),
        "candidat": (0.35, False),
        "procuration": (0.6, True),
        "liste electorale": (0.8, True),
        "listes electorales": (0.8, True),
        "presidentielle": (0.6, False),
        "second tour": (0.4, False),
    },
    "de": {
        "wahl": (0.6, False),
        "wahlen": (0.6, False),
        "wahlen gehen": (0.7, True),
        "wahllokal": (0.85, True),
        "stimmzettel": (0.8, True),
        "briefwahl": (0.85, True),
        "kandidat": (0.35, False),
        "bundestagswahl": (0.8, False),
        "abstimmung": (0.5, True),
        "wahlbenachrichtigung": (0.85, True),
    },
    "it": {
        "elezioni": (0.6, False),
        "votare": (0.55, True),
        "voto": (0.5, True),
        "scheda elettorale": (0.8, True),
        "seggio": (0.75, True),
        "candidato": (0.35, False),
        "referendum": (0.6, False),
    },
    "pt": {
        "eleicoes": (0.6, False),
        "eleicao": (0.6, False),
        "votar": (0.55, True),
        "voto": (0.5, True),
        "urna": (0.6, True),
        "seccao de voto": (0.8, True),
        "secao eleitoral": (0.8, True),
        "candidato": (0.35, False),
        "titulo de eleitor": (0.8, True),
    },
    "nl": {
        "verkiezingen": (0.6, False),
        "verkiezing": (0.6, False),
        "stemmen": (0.45, True),
        "stembureau": (0.85, True),
        "stembiljet": (0.8, True),
        "stempas": (0.85, True),
        "kandidaat": (0.35, False),
    },
    "pl": {
        "wybory": (0.6, False),
        "glosowanie": (0.6, True),
        "glosowac": (0.55, True),
        "lokal wyborczy": (0.85, True),
        "karta do glosowania": (0.85, True),
        "kandydat": (0.35, False),
        "komisja wyborcza": (0.75, True),
    },
    "ro": {
        "alegeri": (0.6, False),
        "vot": (0.5, True),
        "votati": (0.55, True),
        "sectia de votare": (0.85, True),
        "buletin de vot": (0.8, True),
        "candidat": (0.35, False),
    },
    "sv": {
        "val": (0.3, False),
        "valet": (0.5, False),
        "rosta": (0.55, True),
        "vallokal": (0.85, True),
        "valsedel": (0.8, True),
        "forhandsrosta": (0.85, True),
    },
    "cs": {
        "volby": (0.6, False),
        "volit": (0.55, True),
        "volebni mistnost": (0.85, True),
        "hlasovaci listek": (0.8, True),
    },
    "hu": {
        "valasztas": (0.6, False),
        "szavazas": (0.6, True),
        "szavazni": (0.55, True),
        "szavazokor": (0.85, True),
    },
    "el": {
        "εκλογες": (0.6, False),
        "ψηφος": (0.5, True),
        "ψηφιζω": (0.55, True),
        "εκλογικο κεντρο": (0.85, True),
    },
    "bg": {"избори": (0.6, False), "гласуване": (0.6, True), "изборна секция": (0.85, True)},
    "hr": {
        "izbori": (0.6, False),
        "glasanje": (0.6, True),
        "glasati": (0.55, True),
        "biraliste": (0.85, True),
    },
    "fi": {
        "vaalit": (0.6, False),
        "aanestys": (0.6, True),
        "aanestaa": (0.55, True),
        "aanestyspaikka": (0.85, True),
    },
}
# Terms of at least this many characters also match longer words ("forhandsrosta" in "forhandsrostar",
# "electoral" in "electorales"); shorter ones ("vote", "wahl", "val") must match a whole word.
STEM_MIN = 7
# Everyday uses of ambiguous words: a term inside one of these spans is not evidence of an election.
NON_ELECTORAL = [
    r"vot(?:e|ed|ing) (?:for|on) (?:your|the|our|my) (?:favou?rite|best|top)",
    r"voted (?:the )?best",
    r"vote now in our",
    r"(?:cast your|fan|audience|viewers'?) votes? for (?:the )?(?:song|best|player|mvp|your)",
    r"fan vote",
    r"vote of confidence",
    r"upvote",
    r"reader'?s'? choice",
    r"voted with (?:her|his|their) paws",
    r"vota(?:r)? por (?:tu|su|el|la) \w+ favorit",
    r"votos? de (?:felicidad|pobreza|castidad|amor)",
    r"sus votos",
    r"votez pour (?:le|la|les) meilleur",
    r"(?:gute|freie|richtige|schwere|erste|zweite) wahl",
    r"wahl zwischen",
    r"(?:bel|brutto|buon|alto|basso) voto",
    r"voto all'?esame",
    r"voto de louvor",
    r"(?:trudne|dobre|zyciowe) wybory",
    r"wybory zyciowe",
    r"(?:bra|ratt|fel|ditt|mitt) val\b",
    r"val av",
    r"en val\b",
    r"gitaar stemmen",
    r"stemmen in het koor",
]
HASHTAG_HINTS = (
    "election",
    "vote",
    "elecciones",
    "wahl",
    "elezioni",
    "eleicoes",
    "wybory",
    "verkiezingen",
    "votar",
    "voter",
    "electionday",
    "gotv",
)


_UNDECOMPOSABLE = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "’": "'"})


def fold(text: str) -> str:
    """Lower-case and strip accents so "elección" and "eleccion" (and "głos" and "glos") match the same term."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _compile() -> tuple[re.Pattern[str], dict[str, list[tuple[str, float, bool]]]]:
    index: dict[str, list[tuple[str, float, bool]]] = {}
    for lang, terms in LEXICON.items():
        for term, (weight, procedural) in terms.items():
            index.setdefault(fold(term), []).append((lang, weight, procedural))
    alternatives = sorted(index, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(t) + (r"\w*" if len(t) >= STEM_MIN else "") for t in alternatives)
        + r")(?!\w)"
    )
    return pattern, index


_PATTERN, _INDEX = _compile()
_NON_ELECTORAL = re.compile("|".join(f"(?:{p})" for p in NON_ELECTORAL))
_STEMS = sorted((t for t in _INDEX if len(t) >= STEM_MIN), key=len, reverse=True)


def _term(matched: str) -> str:
    """The lexicon entry a (possibly longer) matched word belongs to."""
    if matched in _INDEX:
        return matched
    return next(t for t in _STEMS if matched.startswith(t))


def score_text(text: str, hashtags: Iterable[str] = ()) -> tuple[float, list[str], bool]:
    """Relevance in [0, 1], the matched terms, and whether any procedural term matched."""
    folded = fold(text)
    matched: dict[str, float] = {}
    procedural = False
    everyday = [m.span() for m in _NON_ELECTORAL.finditer(folded)]
    for m in _PATTERN.finditer(folded):
        if any(start <= m.start() < end for start, end in everyday):
            continue
        term = _term(m.group(1))
        weight = max(w for _, w, _ in _INDEX[term])
        procedural = procedural or any(p for _, _, p in _INDEX[term])
        matched[term] = weight
    for tag in hashtags:
        t = fold(tag.lstrip("#"))
        if any(h in t for h in HASHTAG_HINTS):
            matched["#" + t] = 0.6
    # Noisy-OR: independent pieces of evidence raise the score without exceeding 1.
    miss = 1.0
    for weight in matched.values():
        miss *= 1.0 - weight
    return round(1.0 - miss, 4), sorted(matched), procedural


def center_path(region: str | None) -> str:
    """The Election Center page for a region: a state page for "US-TX", the country calendar otherwise."""
    if not region:
        return "/elections/"
    country, _, sub = region.partition("-")
    if country == "US":
        return f"/elections/us/{sub.lower()}/" if sub else "/elections/us/"
    return f"/elections/?country={country}"


class ElectionRelevanceDetector:
    """Lexicon first; text the cascade's gate lets through is scored by the learned head on its embedding.

    The signal's value is on the policy's scale: the head's recall-oriented operating point maps to 0.3
    and its precision-oriented one to 0.6 (the banner threshold), so policies keep their meaning when
    the head is retrained. Text the gate closes on costs no encoder call and keeps the lexicon score.
    """

    name: ClassVar[str] = "election_relevance"
    cost: ClassVar[int] = 3
    applies_to: ClassVar[frozenset[str]] = frozenset({"content", "ad", "search"})
    gate: ClassVar[str | None] = None

    def load(self) -> None:
        from .heads import SHIPPED_ENCODERS, relevance_head

        for encoder in SHIPPED_ENCODERS:
            shared_encoder(relevance_head(encoder).encoder).load()

    def prepare(self, subjects: list[Any]) -> None:
        """Encode, in one call, the texts of a batch that the gate lets through (ads always are)."""
        from .cascade import could_be_electoral

        texts = [s.analysed_text for s in subjects
                 if s.subject_type == "ad" or could_be_electoral(s.analysed_text, getattr(s, "hashtags", ()) or ())]
        if texts:
            shared_encoder("use").prime(texts)

    def detect(self, subject: Any, context: Any, signals: dict[str, Signal]) -> Iterable[Signal]:
        from .heads import relevance_features, relevance_head

        text = subject.analysed_text
        features, lexicon_score, terms, procedural = relevance_features(text, getattr(subject, "hashtags", ()))
        regions = [
            getattr(subject, "region", None),
            *(getattr(subject, "regions", None) or []),
            getattr(getattr(context, "account", None), "region", None),
        ]
        region = next((r for r in regions if r), None)
        evidence: dict[str, Any] = {
            "terms": terms,
            "procedural": procedural,
            "region": region,
            "election_center": center_path(region),
        }
        if features[-1]:
            language = signals.get("language")
            head = relevance_head(encoder_for(str(language.value) if language else None))
            probability = head.probability(shared_encoder(head.encoder).vector(text), features)
            value = rescale(probability, head.thresholds["low"], head.thresholds["high"], low_to=0.3, high_to=0.6)
            evidence.update(stage="encoder", model=head.version, probability=round(probability, 4))
        else:
            value = lexicon_score
            evidence["stage"] = "lexicon"
        evidence["explanation"] = explain_relevance(value, terms, evidence["stage"])
        yield Signal(self.name, value, evidence, self.name)


def explain_relevance(value: float, terms: list[str], stage: str) -> str:
    found = f"election terms {', '.join(repr(t) for t in terms)}" if terms else "no election term"
    how = "the multilingual model read the whole text" if stage == "encoder" else "no election word in any covered language"
    return f"Election relevance {value:.2f}: {found}; {how}."
