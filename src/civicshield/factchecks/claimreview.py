"""ClaimReview (schema.org JSON-LD) in and out, and the rating scale every verdict maps onto.

Fact-checkers publish ClaimReview; Google's Fact Check Tools API returns its own shape of the same
facts. Both are read here into one plain record, with the partner's rating text kept beside the
normalised rating that policy acts on. A batch keeps its good items and reports each bad one by
index and reason. Export writes ClaimReview for verdicts that partners made in CivicShield.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from civicshield.core.errors import FeedError
from civicshield.core.events import unstorable

Rating = Literal["false", "misleading", "missing_context", "unverifiable", "true"]
RATINGS: tuple[str, ...] = Rating.__args__  # type: ignore[attr-defined]
# The numeric ClaimReview scale we export (worst 1 … best 5).
RATING_VALUE = {"false": 1, "misleading": 2, "missing_context": 3, "unverifiable": 3, "true": 5}
RATING_NAME = {"false": "False", "misleading": "Misleading", "missing_context": "Missing context",
               "unverifiable": "Unverifiable", "true": "True"}

# Phrases partners use, in the languages of the encoder; checked in this order (most specific first).
_PHRASES: tuple[tuple[Rating, tuple[str, ...]], ...] = (
    ("missing_context", ("missing context", "lacks context", "needs context", "out of context",
                         "falta contexto", "sin contexto", "hors contexte", "manque de contexte",
                         "fehlender kontext", "ohne kontext", "sem contexto", "fuori contesto")),
    ("misleading", ("misleading", "mostly false", "half true", "half-true", "partly false", "partially false",
                    "exaggerat", "distort", "mixture", "cherry", "enganoso", "engañoso", "trompeur",
                    "irrefuhrend", "irreführend", "fuorviante", "enganador", "enganador", "teilweise falsch",
                    "en parte falso", "parcialmente falso", "plutot faux", "plutôt faux")),
    ("unverifiable", ("unproven", "unverified", "unverifiable", "unsupported", "no evidence",
                      "research in progress", "not proven", "sin pruebas", "no verificable", "invérifiable",
                      "inverifiable", "unbelegt", "nicht belegt", "non verificabile", "sem provas")),
    ("false", ("false", "pants on fire", "fake", "hoax", "incorrect", "wrong", "not true", "untrue",
               "scam", "fabricated", "falso", "falsa", "faux", "fausse", "falsch", "onwaar", "fałsz",
               "fals", "bulo")),
    ("true", ("true", "correct", "accurate", "verdadero", "cierto", "vrai", "richtig", "wahr", "vero",
              "verdade", "juist", "prawda")),
)


def normalise_rating(text: str, value: Any = None, best: Any = None, worst: Any = None) -> Rating | None:
    """The normalised rating for a partner's rating text (or, failing that, its numeric value)."""
    folded = re.sub(r"\s+", " ", str(text or "").casefold()).strip()
    if folded in RATINGS:
        return folded  # type: ignore[return-value]
    if folded:
        for rating, phrases in _PHRASES:
            if any(p in folded for p in phrases):
                return rating
    try:
        v, b, w = float(value), float(best if best is not None else 5), float(worst if worst is not None else 1)
    except (TypeError, ValueError):
        return None
    if b == w:
        return None
    share = (v - w) / (b - w)
    return "false" if share <= 0.2 else "misleading" if share < 0.6 else "true" if share >= 0.8 else None


@dataclass(frozen=True)
class ClaimReviewRecord:
    """One fact-check as read from (or written to) ClaimReview."""

    claim: str
    rating: Rating
    rating_text: str
    url: str = ""
    organisation: str = ""
    organisation_url: str = ""
    language: str = ""
    title: str = ""
    claimant: str = ""
    review_date: dt.date | None = None
    claim_date: dt.date | None = None
    appearances: tuple[str, ...] = field(default_factory=tuple)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    if isinstance(value, list):
        value = next((_text(v) for v in value if _text(v)), "")
    return str(value).strip() if isinstance(value, (str, int, float)) else ""


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type", [])
    return {str(x).rsplit("/", 1)[-1] for x in (t if isinstance(t, list) else [t])}


def from_claimreview(obj: dict[str, Any]) -> ClaimReviewRecord:
    """One schema.org ClaimReview object; raises `FeedError` naming what is missing."""
    if "ClaimReview" not in _types(obj):
        raise FeedError(f"expected @type ClaimReview, got {obj.get('@type')!r}", element="ClaimReview")
    claim = _text(obj.get("claimReviewed"))
    item = obj.get("itemReviewed") if isinstance(obj.get("itemReviewed"), dict) else {}
    if not claim:
        claim = _text(item.get("text") or item.get("name"))
    if not claim:
        raise FeedError("`claimReviewed` (the claim text) is missing", element="claimReviewed")
    rating_obj = obj.get("reviewRating") if isinstance(obj.get("reviewRating"), dict) else {}
    rating_text = _text(rating_obj.get("alternateName") or rating_obj.get("name"))
    rating = normalise_rating(rating_text, rating_obj.get("ratingValue"), rating_obj.get("bestRating"),
                              rating_obj.get("worstRating"))
    if rating is None:
        raise FeedError(f"rating {rating_text or rating_obj.get('ratingValue')!r} is not understood; "
                        f"use one of {', '.join(RATINGS)} or a numeric ratingValue with bestRating/worstRating",
                        element="reviewRating")
    author = obj.get("author") if isinstance(obj.get("author"), dict) else {}
    appearances = item.get("appearance") or []
    appearances = appearances if isinstance(appearances, list) else [appearances]
    return ClaimReviewRecord(
        claim=claim, rating=rating, rating_text=rating_text or RATING_NAME[rating], url=_text(obj.get("url")),
        organisation=_text(author.get("name")), organisation_url=_text(author.get("url")),
        language=_text(obj.get("inLanguage")), title=_text(obj.get("name") or obj.get("headline")),
        claimant=_text(item.get("author")), review_date=_date(obj.get("datePublished")),
        claim_date=_date(item.get("datePublished")),
        appearances=tuple(u for u in (_text(a.get("url")) if isinstance(a, dict) else _text(a)
                                      for a in appearances) if u))


def from_fact_check_tools(claim: dict[str, Any]) -> list[ClaimReviewRecord]:
    """One entry of the Fact Check Tools `claims` list (it may carry several reviews)."""
    text = _text(claim.get("text"))
    if not text:
        raise FeedError("`text` (the claim) is missing", element="claims")
    reviews = claim.get("claimReview")
    if not isinstance(reviews, list) or not reviews:
        raise FeedError("`claimReview` must be a non-empty list", element="claimReview")
    out = []
    for review in reviews:
        rating_text = _text(review.get("textualRating"))
        rating = normalise_rating(rating_text)
        if rating is None:
            raise FeedError(f"textual rating {rating_text!r} is not understood", element="textualRating")
        publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
        out.append(ClaimReviewRecord(
            claim=text, rating=rating, rating_text=rating_text, url=_text(review.get("url")),
            organisation=_text(publisher.get("name")), organisation_url=_text(publisher.get("site")),
            language=_text(review.get("languageCode")), title=_text(review.get("title")),
            claimant=_text(claim.get("claimant")), review_date=_date(review.get("reviewDate")),
            claim_date=_date(claim.get("claimDate"))))
    return out


def read_claimreviews(data: Any) -> tuple[list[ClaimReviewRecord], list[dict[str, Any]]]:
    """Records from a single object, a list, an `@graph`, or a Fact Check Tools response.

    Returns (records, errors); each error is `{"index": i, "reason": "..."}` and the rest are kept.
    """
    if isinstance(data, dict) and isinstance(data.get("claims"), list):
        items, reader = data["claims"], from_fact_check_tools
    elif isinstance(data, dict) and isinstance(data.get("@graph"), list):
        items, reader = data["@graph"], lambda o: [from_claimreview(o)]
    elif isinstance(data, dict):
        items, reader = [data], lambda o: [from_claimreview(o)]
    elif isinstance(data, list):
        items, reader = data, lambda o: [from_claimreview(o)]
    else:
        raise FeedError("expected a ClaimReview object, a list of them, or a Fact Check Tools response")
    records: list[ClaimReviewRecord] = []
    errors: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append({"index": i, "reason": "each item must be a JSON object"})
            continue
        problem = unstorable(item)
        if problem is not None:  # text no database stores (NUL, lone surrogates), numbers beyond JSON's
            errors.append({"index": i, "reason": f"{problem[0]}: {problem[1]}"})
            continue
        try:
            records.extend(reader(item))
        except FeedError as exc:
            errors.append({"index": i, "reason": str(exc)})
    return records, errors


def to_claimreview(record: ClaimReviewRecord) -> dict[str, Any]:
    """schema.org ClaimReview JSON-LD for one verdict."""
    out: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": record.claim,
        "reviewRating": {"@type": "Rating", "ratingValue": RATING_VALUE[record.rating], "bestRating": 5,
                         "worstRating": 1, "alternateName": record.rating_text or RATING_NAME[record.rating]},
        "author": {"@type": "Organization", "name": record.organisation},
        "itemReviewed": {"@type": "Claim"},
    }
    if record.organisation_url:
        out["author"]["url"] = record.organisation_url
    if record.url:
        out["url"] = record.url
    if record.title:
        out["name"] = record.title
    if record.language:
        out["inLanguage"] = record.language
    if record.review_date:
        out["datePublished"] = record.review_date.isoformat()
    item = out["itemReviewed"]
    if record.claimant:
        item["author"] = {"@type": "Person", "name": record.claimant}
    if record.claim_date:
        item["datePublished"] = record.claim_date.isoformat()
    if record.appearances:
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in record.appearances]
    return out
