"""Training the election-relevance head from real fact-check archives (build time; scikit-learn).

Training sources (their own editors' topic tags give the labels; see docs/data-sources.md):
LIAR (PolitiFact statements, English), EUvsDisinfo (disinformation cases, English summaries), the
Brazilian electoral court's "Fato ou Boato" voting-machine debunks (Portuguese, positives), and the
project's own hand-written multilingual examples (hard negatives such as contests and school
"elections", and languages the archives lack). Evaluation uses other sources (ClaimsKG's annotated
claims, hand-labelled social posts in seven languages): nothing here reads them.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from civicshield.core.heads import save_payload
from civicshield.core.labelled import Example, datasets_dir, deduplicate, examples, read_jsonl
from civicshield.core.learning import fit_head, operating_points, training_embeddings
from civicshield.core.textrep import TextEncoder

from .heads import RELEVANCE_FEATURES, RELEVANCE_HEAD, relevance_features, variant

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
# Hand-written by the project: multilingual examples with hard negatives. Generated text adds
# languages and hard cases; every class also has real examples.
PROJECT_WRITTEN = ("relevance_eval.jsonl", "relevance_heldout.jsonl", "relevance_train_written.jsonl",
                   "relevance_train_social.jsonl")
TRAINING_SOURCES = ("liar.jsonl", "euvsdisinfo.jsonl", "tse_urnas.jsonl",
                    # real social-media posts: Spanish election tweets (COSET), Indonesian tweets about
                    # the 2017 Jakarta election and about other topics, and topic-coded English and Spanish
                    # tweets (non-election topics only; see docs/data-sources.md)
                    "social_coset.jsonl", "social_idsentiment.jsonl", "social_tweettopicxl.jsonl")


def _election_label(row: dict[str, Any]) -> int | None:
    value = row.get("election_related")
    return None if value is None else int(bool(value))


def relevance_examples(folder: Path | None = None, *, negatives_per_source: int = 4000, seed: int = 7) -> list[Example]:
    folder = (folder or datasets_dir()) / "elections"
    items: list[Example] = []
    for name in TRAINING_SOURCES:
        rows = examples(folder / name, _election_label)
        positives = [e for e in rows if e.label]
        negatives = [e for e in rows if not e.label]
        random.Random(seed).shuffle(negatives)
        items.extend(positives + negatives[:negatives_per_source])
    for name in PROJECT_WRITTEN:
        for row_number, raw in enumerate((PACKAGE_DATA / name).read_text(encoding="utf-8").splitlines()):
            row = json.loads(raw)
            items.append(Example(row["text"], int(row["label"]), row.get("lang", "und"), "civicshield-written",
                                 f"written:{name}:{row_number}"))
    return deduplicate(items)


def train_relevance(folder: Path | None = None, *, encoder: str = "use", out: Path | None = None) -> dict[str, Any]:
    items = relevance_examples(folder)
    texts = [e.text for e in items]
    embeddings = training_embeddings(texts, encoder)
    features = np.asarray([relevance_features(t)[0] for t in texts], dtype=np.float32)
    labels = [e.label for e in items]
    by_source: dict[str, dict[str, int]] = {}
    for e in items:
        counts = by_source.setdefault(e.source, {"positive": 0, "negative": 0})
        counts["positive" if e.label else "negative"] += 1
    fitted = fit_head("election_relevance", encoder, embeddings, features, labels, RELEVANCE_FEATURES,
                      groups=[e.group for e in items], target_precision=0.9, target_recall=0.9,
                      meta={"sources": by_source, "languages": sorted({e.language for e in items})})
    target = out or variant(RELEVANCE_HEAD, encoder)
    save_payload(fitted.payload, target)
    return {"head": str(target), "examples": len(items), "cross_validation": fitted.cv_figures,
            "thresholds": fitted.payload["thresholds"], "sources": by_source}


# --- procedural claims ---------------------------------------------------------------------------

PROCEDURAL_LABELS = PACKAGE_DATA / "procedural_labels.tsv"
PROCEDURAL_WRITTEN = PACKAGE_DATA / "procedural_train_written.jsonl"
# Written by training authors who read only the narrative catalogue: the second file adds eight more
# languages and hard negatives that share the narratives' words, the third election posts that are not
# about procedure at all (counting and fraud allegations, queues, campaign talk, rule debates).
HOAX_WRITTEN = (PACKAGE_DATA / "voting_claims_train_written.jsonl", PACKAGE_DATA / "voting_claims_train_written2.jsonl",
                PACKAGE_DATA / "voting_claims_train_negatives.jsonl")
# Contrastive pairs: a false claim and a post on the same topic, language and style that is not false
# (the rule stated correctly, a debunk, a warning, or the same words with no claim about voting).
HOAX_PAIRS = PACKAGE_DATA / "voting_claims_train_pairs.jsonl"


def _clef_claims(path: Path) -> dict[str, str]:
    claims: dict[str, str] = {}
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: the CLEF-2020 claims are read from ../shared/data "
                                "(see docs/data-sources.md)")
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0]:
            claims[f"clef-{parts[0]}"] = parts[1]
    return claims


def procedural_labels() -> dict[str, str]:
    """The project's labels of real statements (id → "1" procedural / "0" not), in file order."""
    rows = (line.split("\t") for line in PROCEDURAL_LABELS.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#"))
    return {key: label for key, label in rows}


def procedural_examples(folder: Path | None = None, clef: Path | None = None, *, seed: int = 7) -> list[Example]:
    """Real fact-checked statements labelled by the project (ids in procedural_labels.tsv), real election
    and non-election claims as negatives, the narrative catalogue, and hand-written multilingual examples."""
    from .narratives import load_catalogue

    folder = (folder or datasets_dir()) / "elections"
    texts = _clef_claims(clef or Path("../shared/data/clef2020-task2/verified_claims.docs.tsv"))
    liar = {str(r["id"]): r for r in read_jsonl(folder / "liar.jsonl")}
    texts.update({k: str(r["text"]) for k, r in liar.items()})
    items: list[Example] = []
    labelled = procedural_labels()
    items.extend(Example(texts[key], int(label), "en", key.split("-")[0], key)
                 for key, label in labelled.items() if key in texts)
    # Other election claims and non-election claims: negatives (none states a voting rule: those
    # that could were found by keyword and labelled above).
    election = [r for k, r in liar.items() if k not in labelled and r.get("election_related") is not None]
    random.Random(seed).shuffle(election)
    for r in election[:1500]:
        items.append(Example(str(r["text"]), 0, "en", "liar", str(r["id"])))
    for row in read_jsonl(PROCEDURAL_WRITTEN):
        items.append(Example(row["text"], int(row["procedural"]), row["language"], "civicshield-written",
                             f"written:{row['text'][:40]}"))
    for narrative, claims, corrections in load_catalogue():
        for text in claims + corrections:
            items.append(Example(text, 1, "und", "catalogue", f"catalogue:{narrative.id}"))
    # The multilingual training posts: every claim about voting procedure (false, true or unsettleable)
    # is procedural; election posts with no claim and the hard negatives are not.
    for row in [*(r for path in HOAX_WRITTEN for r in read_jsonl(path)), *read_jsonl(HOAX_PAIRS)]:
        items.append(Example(row["text"], int(row["label"] != "none"), row["language"], "civicshield-written",
                             f"written:{row['language']}:{row.get('pair') or row.get('narrative') or row['label']}"))
    return deduplicate(items)


def train_procedural(folder: Path | None = None, clef: Path | None = None, *, encoder: str = "use",
                     out: Path | None = None) -> dict[str, Any]:
    from .heads import PROCEDURAL_FEATURES, PROCEDURAL_HEAD, procedural_features

    items = procedural_examples(folder, clef)
    texts = [e.text for e in items]
    embeddings = training_embeddings(texts, encoder)
    features = np.asarray([procedural_features(t) for t in texts], dtype=np.float32)
    fitted = fit_head("procedural_claim", encoder, embeddings, features, [e.label for e in items],
                      PROCEDURAL_FEATURES, groups=[e.group for e in items], target_precision=0.95,
                      target_recall=0.85, meta={"examples_by_source": _count(items)})
    target = out or variant(PROCEDURAL_HEAD, encoder)
    save_payload(fitted.payload, target)
    return {"head": str(target), "examples": len(items), "cross_validation": fitted.cv_figures,
            "thresholds": fitted.payload["thresholds"]}


def calibrate_narratives(folder: Path | None = None, *, encoder: str = "use", percentile: float = 99.5) -> dict[str, Any]:
    """The similarity floor: the `percentile` of the best catalogue similarity over real election claims
    that are not voting hoaxes (LIAR and EUvsDisinfo election statements) and hold a narrative's cue."""
    from .narratives import CALIBRATION, NarrativeCatalogue, load_catalogue

    folder = (folder or datasets_dir()) / "elections"
    labelled = procedural_labels()
    rows = [r for name in ("liar.jsonl", "euvsdisinfo.jsonl") for r in read_jsonl(folder / name)
            if r.get("election_related") and str(r["id"]) not in labelled]
    catalogue = NarrativeCatalogue(load_catalogue(), TextEncoder(encoder), floor=1.0, margin=0.0)
    texts = [str(r["text"]) for r in rows]
    vectors = training_embeddings(texts, encoder)
    # As matching works: only claims holding some narrative's cue can match, so the floor is set among them.
    nearest = [catalogue.nearest(v, t) for v, t in zip(vectors, texts)]
    best = np.asarray([m.similarity for m in nearest if m is not None])
    floor = float(np.percentile(best, percentile))
    result = {"floor": round(floor, 4), "margin": 0.0, "percentile": percentile,
              "calibrated_on": {"claims": len(rows), "claims_with_a_cue": int(len(best)),
                                "sources": ["LIAR (elections)", "EUvsDisinfo (elections)"]}}
    settings = json.loads(CALIBRATION.read_text(encoding="utf-8")) if CALIBRATION.exists() else {}
    settings = {k: v for k, v in settings.items() if isinstance(v, dict) and "floor" in v}
    settings[encoder] = result
    CALIBRATION.write_text(json.dumps(settings, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return result


def _count(items: list[Example]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for e in items:
        per = counts.setdefault(e.source, {"positive": 0, "negative": 0})
        per["positive" if e.label else "negative"] += 1
    return counts


# --- false voting claims (the voting-hoax head) --------------------------------------------------

# LIAR ratings that make a statement about voting procedure a false claim, and those that make it true.
LIAR_FALSE = frozenset({"false", "pants-fire"})
LIAR_TRUE = frozenset({"true", "mostly-true"})


def hoax_examples(folder: Path | None = None, clef: Path | None = None, *, seed: int = 7) -> list[Example]:
    """False claims about voting procedure (1) against true, unsettleable and non-procedural statements (0).

    Real: LIAR statements the project labelled procedural, by PolitiFact's rating; the CLEF claims the
    narrative catalogue cites as debunked; other LIAR election statements (negatives). Written: the
    catalogue's wordings and corrections, and the multilingual training posts with hard negatives
    (talent-show and shareholder votes, debunks, correct rules)."""
    from .narratives import load_catalogue

    folder = (folder or datasets_dir()) / "elections"
    liar = {str(r["id"]): r for r in read_jsonl(folder / "liar.jsonl")}
    clef_texts = _clef_claims(clef or Path("../shared/data/clef2020-task2/verified_claims.docs.tsv"))
    catalogue = load_catalogue()
    cited = {f"clef-{n.source['archive'].rsplit(' ', 1)[-1]}" for n, _, _ in catalogue
             if "CLEF" in str(n.source.get("archive", ""))}
    items: list[Example] = []
    labelled = procedural_labels()
    for key, label in labelled.items():
        if key in liar and label == "1":
            verdict = str(liar[key].get("verdict"))
            if verdict in LIAR_FALSE | LIAR_TRUE:
                items.append(Example(str(liar[key]["text"]), int(verdict in LIAR_FALSE), "en", "liar", key))
        elif key in cited and key in clef_texts:
            items.append(Example(clef_texts[key], 1, "en", "clef", key))
    election = [r for k, r in liar.items() if k not in labelled and r.get("election_related")]
    random.Random(seed).shuffle(election)
    for r in election[:1500]:
        items.append(Example(str(r["text"]), 0, "en", "liar", str(r["id"])))
    for narrative, claims, corrections in catalogue:
        items.extend(Example(t, 1, "und", "catalogue", f"catalogue:{narrative.id}") for t in claims)
        items.extend(Example(t, 0, "und", "catalogue", f"catalogue:{narrative.id}:correct") for t in corrections)
    for row in (r for path in HOAX_WRITTEN for r in read_jsonl(path)):
        topic = row.get("narrative") or row["label"]
        items.append(Example(row["text"], int(row["label"] == "false"), row["language"], "civicshield-written",
                             f"written:{row['language']}:{topic}"))
    for row in read_jsonl(HOAX_PAIRS):  # both posts of a pair in one fold
        items.append(Example(row["text"], int(row["label"] == "false"), row["language"], "civicshield-pairs",
                             f"pair:{row['pair']}"))
    for row in read_jsonl(PROCEDURAL_WRITTEN):
        if not int(row["procedural"]):
            items.append(Example(row["text"], 0, row["language"], "civicshield-written", f"written:{row['text'][:40]}"))
    return deduplicate(items)


def train_hoax(folder: Path | None = None, clef: Path | None = None, *, encoder: str = "use",
               out: Path | None = None, tune: Path | None = None) -> dict[str, Any]:
    """The head that tells a false claim about voting procedure from true, unsettleable or unrelated text.

    It reads the embedding, the readable features and a character n-gram model's score (fitted first on
    the same examples; the head is trained on its out-of-fold scores). Its narrative features read the
    catalogue without the example's own wording (no self-match). The head decides only for posts that
    hold a narrative's cue, so its operating point is read among those: from `tune` (events with
    `expected`, written apart from both the training and the evaluation sets) when given, else from the
    out-of-fold scores of the training posts."""
    from civicshield.core.heads import LinearHead
    from civicshield.core.learning import grouped_folds
    from civicshield.core.surface import SurfaceModel, fit_surface

    from .heads import HOAX_FEATURES, HOAX_HEAD, HOAX_SURFACE, fold, hoax_features
    from .narratives import NarrativeCatalogue, calibration, load_catalogue
    from .procedural import check_claims
    from .votegov import shipped_voter_facts

    items = hoax_examples(folder, clef)
    texts = [e.text for e in items]
    labels = np.asarray([e.label for e in items])
    groups = [e.group for e in items]
    model_file, surface_oof = fit_surface(texts, labels, grouped_folds(labels, groups), fold)
    HOAX_SURFACE.write_bytes(model_file)
    surface_ref = {"file": HOAX_SURFACE.name, "sha256": hashlib.sha256(model_file).hexdigest()}
    embeddings = training_embeddings(texts, encoder)
    settings = calibration(encoder)
    catalogue = NarrativeCatalogue(load_catalogue(), TextEncoder(encoder), float(settings["floor"]),
                                   float(settings["margin"]))
    facts = shipped_voter_facts()
    features = np.asarray([hoax_features(t, v, catalogue, check_claims(t, facts), surface=float(s), skip_self=True)[0]
                           for t, v, s in zip(texts, embeddings, surface_oof)], dtype=np.float32)
    fitted = fit_head("voting_hoax", encoder, embeddings, features, labels, HOAX_FEATURES,
                      groups=groups, target_precision=0.95, target_recall=0.85, surface=surface_ref,
                      meta={"examples_by_source": _count(items),
                            "languages": sorted({e.language for e in items})})
    acts = features[:, 0] > 0
    low, high = operating_points(fitted.out_of_fold[acts], labels[acts], target_precision=0.95, target_recall=0.85)
    chosen = fitted.out_of_fold[acts] >= high
    figures: dict[str, Any] = {
        "posts_with_a_cue": int(acts.sum()), "positives_with_a_cue": int(labels[acts].sum()),
        "cv_precision_at_high": round(float(labels[acts][chosen].mean()) if chosen.any() else 0.0, 4),
        "cv_recall_at_high": round(float(chosen[labels[acts] == 1].mean()), 4),
        "cv_recall_of_all_positives": round(float(((fitted.out_of_fold >= high) & acts)[labels == 1].mean()), 4)}
    thresholds_from = "cross-validation on the training posts that hold a narrative's cue (the only posts the head decides)"
    if tune is not None:
        high, figures["tuning"] = _hoax_tuning_point(LinearHead.from_payload(fitted.payload), tune, catalogue, facts,
                                                     SurfaceModel.load(HOAX_SURFACE, surface_ref["sha256"], fold))
        low = min(low, high)
        thresholds_from = (f"high: the tuning set {Path(tune).name}, among its posts that hold a narrative's cue; "
                           "low: cross-validation on the training posts")
    payload = dict(fitted.payload)
    payload["thresholds"] = {"low": round(low, 4), "high": round(high, 4)}  # not part of the weights' hash
    payload["meta"] = dict(payload["meta"], thresholds_from=thresholds_from, cue_operating_point=figures)
    target = out or variant(HOAX_HEAD, encoder)
    save_payload(payload, target)
    return {"head": str(target), "examples": len(items), "cross_validation": fitted.cv_figures,
            "with_a_cue": figures, "thresholds": payload["thresholds"]}


def _hoax_tuning_point(head: Any, path: Path, catalogue: Any, facts: Mapping[str, Any],
                       surface: Any) -> tuple[float, dict[str, Any]]:
    """The lowest score at which precision reaches 0.95 on a tuning set's posts that hold a cue."""
    from .heads import hoax_features
    from .procedural import check_claims

    rows = [r for r in read_jsonl(path) if r.get("expected") in ("false", "true", "unverified", "none")]
    texts = [str(r["content"]["text"]) for r in rows]
    vectors = training_embeddings(texts, head.encoder)
    scores, cues = [], []
    for row, text, vector in zip(rows, texts, vectors):
        region = row["content"].get("region")
        features, nearest = hoax_features(text, vector, catalogue, check_claims(text, facts, region), surface=surface)
        scores.append(head.probability(vector, features))
        cues.append(nearest is not None)
    score, cue = np.asarray(scores), np.asarray(cues)
    y = np.asarray([r["expected"] == "false" for r in rows], dtype=np.int64)
    _, high = operating_points(score[cue], y[cue], target_precision=0.95, target_recall=0.85)
    chosen = (score >= high) & cue
    return high, {"set": Path(path).name, "posts": len(rows), "posts_with_a_cue": int(cue.sum()),
                  "precision_at_high": round(float(y[chosen].mean()) if chosen.any() else 0.0, 4),
                  "recall_at_high": round(float(chosen[y == 1].mean()) if y.any() else 0.0, 4)}
