"""Claim matching: which fact-checks state the claim a post, ad or search makes?

Hybrid retrieval. BM25 finds copies that reuse the claim's words; multilingual sentence embeddings
in an ANN index find rewordings and translations. The two candidate lists are fused with
reciprocal-rank fusion, and a small trained model turns each candidate's evidence into a match
probability that is compared with two thresholds: *suggest* (a fact-checker should look) and
*confirm* (act without waiting). An encoder may name a second opinion (`semantic.EncoderSpec`): e5's
match model also weighs USE's cosine for every pooled candidate, from USE vectors kept beside the
index. Stores hold the same claim more than once (a partner republishes
it, two feeds carry it, quotes are typed differently); near-identical candidates are ranked as one
claim, the fact-check recorded first leading and the later ones naming it in `duplicate_of`.
Embedding costs milliseconds per text, so callers decide per text
whether to pay for it (`embed=`). The index is persisted to a directory and grows incrementally:
adding a fact-check embeds only that fact-check. Pure: no Django, no database.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal, Sequence

import numpy as np

from civicshield.core.errors import CivicShieldError
from civicshield.core.textrep import strip_links

from .lexical import LexicalIndex, tokenize
from .reranker import RRF_K, Evidence, Reranker, Thresholds, weights_file
from .semantic import VectorIndex, VectorStore, dimensions, embed, spec

Method = Literal["hybrid", "lexical", "rrf", "bm25", "embedding"]
Decision = Literal["confirm", "suggest", "none"]
POOL = 30
FORMAT_VERSION = 1
SECOND_FILE = "second-opinion.npy"
# The default `reranker`: the match model shipped for the index's encoder.
SHIPPED = "shipped"
# Two fact-checks state the same claim when their stemmed content words overlap this much (Jaccard).
# Chosen on the CLEF-2020 training split, where the first-recorded of such a pair is the one the
# judgements name 184 times in 189; any value from 0.6 to 0.9 gives the same training figures.
DUPLICATE_JACCARD = 0.8


@dataclass(frozen=True, slots=True)
class IndexedClaim:
    """A fact-checked claim as the matcher sees it."""

    id: str
    text: str
    rating: str = ""
    language: str = ""
    url: str = ""
    organisation: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    claim: IndexedClaim
    score: float
    rrf: float
    bm25: float
    cosine: float | None
    duplicate_of: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"fact_check_id": self.claim.id, "score": round(self.score, 4), "rrf": round(self.rrf, 5),
                "bm25": round(self.bm25, 3), "cosine": None if self.cosine is None else round(self.cosine, 4),
                "claim": self.claim.text, "rating": self.claim.rating, "language": self.claim.language,
                "url": self.claim.url, "organisation": self.claim.organisation,
                "duplicate_of": self.duplicate_of}


@dataclass
class ClaimIndex:
    """Fact-checked claims searchable by text, in any of the encoder's languages."""

    reranker: Reranker | None | str = SHIPPED
    vector_dtype: str = "f16"
    encoder: str = "use"
    _claims: list[IndexedClaim | None] = field(default_factory=list, repr=False)
    _position: dict[str, int] = field(default_factory=dict, repr=False)
    _lexical: LexicalIndex = field(default_factory=LexicalIndex, repr=False)
    _vectors: VectorIndex | None = field(default=None, repr=False)
    _second: VectorStore | None = field(default=None, repr=False)
    # Whether two stored claims are near-duplicates, and each claim's token set, remembered between
    # searches (the same popular claims meet in many candidate pools) until the lexical index changes.
    _duplicates: dict[tuple[int, int], bool] = field(default_factory=dict, repr=False)
    _token_sets: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)
    _cached_version: int = field(default=-1, repr=False)

    def __post_init__(self) -> None:
        size = dimensions(self.encoder)
        if self.second_opinion and self._second is None:
            self._second = VectorStore(dimensions(self.second_opinion))
        if self.reranker == SHIPPED:
            self.reranker = Reranker.load(weights_file(self.encoder))
        if isinstance(self.reranker, Reranker) and self.reranker.encoder != self.encoder:
            raise CivicShieldError(f"match model trained for encoder {self.reranker.encoder!r}, "
                                   f"index uses {self.encoder!r}")
        if self._vectors is None:
            self._vectors = VectorIndex(self.vector_dtype, size)

    def __len__(self) -> int:
        return len(self._position)

    @property
    def second_opinion(self) -> str | None:
        """The encoder whose cosine the match model also weighs, if this index's encoder has one."""
        return spec(self.encoder).second_opinion

    def __contains__(self, claim_id: str) -> bool:
        return claim_id in self._position

    def get(self, claim_id: str) -> IndexedClaim | None:
        position = self._position.get(claim_id)
        return None if position is None else self._claims[position]

    def add(self, claims: Iterable[IndexedClaim], vectors: np.ndarray | None = None,
            second_vectors: np.ndarray | None = None) -> int:
        """Add or replace claims; only these are embedded (or `vectors` supplied, and `second_vectors`
        for the second-opinion encoder). Returns the count."""
        claims = list(claims)
        for given in (vectors, second_vectors):
            if given is not None and len(given) != len(claims):
                raise CivicShieldError(f"{len(claims)} claims but {len(given)} vectors")
        if vectors is None:
            vectors = embed([c.text for c in claims], self.encoder, "document")
        if self._second is not None and second_vectors is None:
            second_vectors = embed([c.text for c in claims], self.second_opinion, "document")
        new, new_keys, new_rows = [], [], []
        for row, claim in enumerate(claims):
            position = self._position.get(claim.id)
            if position is None:
                position = len(self._claims) + len(new)
                new.append(claim)
            else:
                self._claims[position] = claim
                self._lexical.replace(position, claim.text)
                self._vectors.remove(position)
            self._position[claim.id] = position
            new_keys.append(position)
            new_rows.append(row)
        self._claims.extend(new)
        self._lexical.append([c.text for c in new])
        self._vectors.add(new_keys, vectors[new_rows])
        if self._second is not None:
            self._second.put(new_keys, second_vectors[new_rows])
        return len(claims)

    def remove(self, claim_id: str) -> bool:
        """Withdraw a claim from results (a retracted fact-check)."""
        position = self._position.pop(claim_id, None)
        if position is None:
            return False
        self._claims[position] = None
        self._lexical.replace(position, "")
        self._vectors.remove(position)
        if self._second is not None:
            self._second.remove(position)
        return True

    def thresholds(self, embedded: bool = True) -> Thresholds:
        if self.reranker is None:
            return Thresholds()
        return self.reranker.thresholds_for("hybrid" if embedded else "lexical")

    def search(self, text: str, top: int = 10, *, method: Method = "hybrid",
               vector: np.ndarray | None = None, second_vector: np.ndarray | None = None) -> list[Match]:
        """The best `top` claims for `text`, best first.

        `hybrid` fuses both retrievers and orders by match probability; `lexical` does the same
        without embedding the text (cheap, monolingual); `rrf`, `bm25` and `embedding` are the
        plain fusion and single-retriever baselines.
        """
        return self._rank(self.candidates(text, method=method, vector=vector, second_vector=second_vector),
                          method, top)

    def query_vector(self, text: str) -> np.ndarray:
        """The embedding a query is searched with: the match model's adapter applied, if it has one."""
        vector = embed([strip_links(text)], self.encoder, "query")[0]
        return vector if self.reranker is None else self.reranker.query_vector(vector)

    def second_query_vector(self, text: str) -> np.ndarray:
        """The second-opinion encoder's embedding of a query, adapted as the match model expects."""
        vector = embed([strip_links(text)], self.second_opinion, "query")[0]
        return vector if self.reranker is None else self.reranker.second_query_vector(vector)

    def claim_vector(self, claim_id: str, second: bool = False) -> np.ndarray | None:
        """The stored embedding of a fact-check (None if it is not in the index); `second`: the
        second-opinion encoder's."""
        position = self._position.get(claim_id)
        if position is None:
            return None
        return self._second.vector(position) if second else self._vectors.vector(position)

    def nearest(self, vector: np.ndarray, k: int, second: bool = False) -> list[str]:
        """Ids of the k fact-checks whose embeddings are nearest to `vector`, nearest first (`second`:
        in the second-opinion encoder's space, searched exactly)."""
        keys = self._second.nearest(vector, k) if second else self._vectors.nearest(vector, k)[0]
        return [claim.id for claim in (self._claims[int(key)] for key in keys) if claim is not None]

    def candidates(self, text: str, *, method: Method = "hybrid", vector: np.ndarray | None = None,
                   second_vector: np.ndarray | None = None) -> list[tuple[IndexedClaim, Evidence]]:
        """Every pooled candidate with the retrievers' evidence about it (unordered).

        `vector` / `second_vector`: the query's embeddings as `query_vector` / `second_query_vector`
        give them, when the caller already has them.
        """
        text = strip_links(text)
        query_tokens = tokenize([text])[0] if text.strip() else []
        semantic = method in ("hybrid", "rrf", "embedding")
        lex_pos, lex_scores = self._lexical.top(query_tokens, POOL) if method != "embedding" else ((), ())
        sem_pos: Sequence[int] = ()
        sem_scores: Sequence[float] = ()
        if semantic:
            if vector is None:
                vector = self.query_vector(text)
            sem_pos, sem_scores = self._vectors.nearest(vector, POOL)
        evidence = self._evidence(query_tokens, lex_pos, lex_scores, sem_pos, sem_scores, vector, semantic)
        if method in ("hybrid", "rrf") and self._second is not None:  # what the hybrid model reads
            if second_vector is None:
                second_vector = self.second_query_vector(text)
            evidence = self._second_opinion(evidence, second_vector)
        return [(self._claims[p], e) for p, e in evidence.items()]

    def _second_opinion(self, evidence: dict[int, Evidence], vector: np.ndarray) -> dict[int, Evidence]:
        """The evidence with the second-opinion encoder's cosine, margin and rank within the pool."""
        positions = list(evidence)
        cosines = self._second.similarities(vector, positions).tolist()
        scores = dict(zip(positions, cosines))
        other = _best_other(scores)
        rank = {p: r for r, p in enumerate(sorted(positions, key=lambda p: (-scores[p], p)), start=1)}
        return {p: dataclasses.replace(e, second_cosine=scores[p], second_other=other(p), second_rank=rank[p])
                for p, e in evidence.items()}

    def same_claim(self, claim_ids: Iterable[str]) -> dict[str, str]:
        """For each of these claims, the first-recorded among them that states the same claim."""
        ids = [c for c in dict.fromkeys(claim_ids) if c in self._position]
        positions = [self._position[c] for c in ids]
        first: dict[str, str] = {}
        for members in self._groups(positions):
            lead = self._claims[positions[members[0]]].id
            first.update({ids[i]: lead for i in members})
        return first

    def grouped(self, ranking: Sequence[str]) -> list[str]:
        """A ranking (best first) with near-duplicates together where the best of them ranks, the
        first-recorded leading: the order `search` returns."""
        ids = [c for c in dict.fromkeys(ranking) if c in self._position]
        groups = self._groups([self._position[c] for c in ids])
        return [ids[i] for members in groups for i in members]

    def _groups(self, positions: Sequence[int]) -> Iterator[list[int]]:
        """Indexes into `positions` (best first), grouped by claim (near-duplicates, transitively):
        groups in order of their best member, members in order of recording. One group at a time, so
        a search that wants the top 3 compares the pool's claims with the few groups it returns
        instead of every pair in the pool."""
        self._check_cache()
        unassigned = list(range(len(positions)))
        while unassigned:
            component, frontier = [unassigned[0]], [unassigned[0]]
            rest = unassigned[1:]
            while frontier and rest:
                p = positions[frontier.pop()]
                joined = [i for i in rest if self._near_duplicate(p, positions[i])]
                if joined:
                    component += joined
                    frontier += joined
                    rest = [i for i in rest if i not in joined]
            unassigned = rest
            yield sorted(component, key=positions.__getitem__)

    def _check_cache(self) -> None:
        if self._cached_version != self._lexical.version or len(self._duplicates) > 500_000:
            self._duplicates, self._token_sets = {}, {}
            self._cached_version = self._lexical.version

    def _near_duplicate(self, p: int, q: int) -> bool:
        """Whether two stored claims state the same claim (their token sets nearly coincide); remembered."""
        if p == q:
            return True
        key = (p, q) if p < q else (q, p)
        same = self._duplicates.get(key)
        if same is None:
            a, b = self._token_set(key[1]), self._token_set(key[0])
            small, large = sorted((len(a), len(b)))
            same = self._duplicates[key] = bool(a) and bool(b) and (
                small >= DUPLICATE_JACCARD * large and len(a & b) >= DUPLICATE_JACCARD * len(a | b))
        return same

    def _token_set(self, p: int) -> frozenset[str]:
        found = self._token_sets.get(p)
        if found is None:
            found = self._token_sets[p] = frozenset(self._lexical.tokens(p))
        return found

    def decide(self, matches: Sequence[Match], embedded: bool = True) -> Decision:
        """Whether the best match is strong enough to suggest to a fact-checker or to act on.

        `embedded`: whether the matches came from `hybrid` (else `lexical`) search.
        """
        if not matches:
            return "none"
        limits = self.thresholds(embedded)
        best = matches[0].score
        return "confirm" if best >= limits.confirm else "suggest" if best >= limits.suggest else "none"

    def _evidence(self, query_tokens: list[str], lex_pos: Sequence[int], lex_scores: Sequence[float],
                  sem_pos: Sequence[int], sem_scores: Sequence[float], vector: np.ndarray | None,
                  semantic: bool) -> dict[int, Evidence]:
        lex_rank = {int(p): r for r, p in enumerate(lex_pos, start=1)}
        lex_score = {int(p): float(s) for p, s in zip(lex_pos, lex_scores)}
        sem_rank = {int(p): r for r, p in enumerate(sem_pos, start=1) if self._claims[int(p)] is not None}
        sem_score = {int(p): float(s) for p, s in zip(sem_pos, sem_scores)}
        positions = [p for p in dict.fromkeys([*lex_rank, *sem_rank]) if self._claims[p] is not None]
        missing = [p for p in positions if p not in sem_score]
        if semantic and vector is not None and missing:
            sem_score.update(zip(missing, self._vectors.similarities(vector, missing).tolist()))
        best_bm25 = max(lex_score.values(), default=0.0)
        # A store smaller than the pool has no real runner-up: assume one about as close as unrelated
        # claims on the same topic are, so a lone fact-check does not look like a clear winner.
        baseline = spec(self.encoder).baseline if len(self) < POOL else 0.0
        lex_other, sem_other = _best_other(lex_score), _best_other(sem_score, baseline)
        query_set = set(query_tokens)
        out = {}
        self._check_cache()
        for p in positions:
            doc = self._token_set(p)
            out[p] = Evidence(
                bm25=lex_score.get(p, 0.0), bm25_best=best_bm25, bm25_rank=lex_rank.get(p, 100),
                overlap=len(query_set & doc) / len(doc) if doc else 0.0,
                bm25_other=lex_other(p),
                cosine=sem_score.get(p) if semantic else None,
                cosine_other=sem_other(p) if semantic else None,
                semantic_rank=sem_rank.get(p) if semantic else None)
        return out

    def _rank(self, candidates: list[tuple[IndexedClaim, Evidence]], method: Method,
              top: int) -> list[Match]:
        items = [e for _, e in candidates]
        rrf = np.array([_rrf(e, method) for e in items])
        key = rrf
        if method == "embedding":
            score = key = np.array([e.cosine or 0.0 for e in items])
        elif self.reranker is None:
            score = rrf
        elif method in ("bm25", "lexical"):
            score, own = self.reranker.scored(items, "lexical")
            key = own if method == "lexical" else rrf
        else:
            score, own = self.reranker.scored(items)
            key = own if method == "hybrid" else rrf
        ids = [c.id for c, _ in candidates]
        order = [int(i) for i in np.lexsort((ids, -rrf, -key))] if candidates else []
        # Near-duplicates rank as one claim, where its best copy ranks, the first-recorded copy leading
        # with the group's best score.
        positions = [self._position[candidates[i][0].id] for i in order]
        out: list[Match] = []
        for group in self._groups(positions):
            members = [order[g] for g in group]
            lead = members[0]
            best = max(float(score[i]) for i in members)
            for i in members:
                out.append(Match(candidates[i][0], best if i == lead else float(score[i]), float(rrf[i]),
                                 items[i].bm25, items[i].cosine,
                                 None if i == lead else candidates[lead][0].id))
                if len(out) == top:
                    return out
        return out

    def save(self, directory: str | Path) -> None:
        """Write the index to a directory (created if needed); `load` reads it back."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "claims.jsonl", "w", encoding="utf-8") as fh:
            for claim in self._claims:
                fh.write(json.dumps(asdict(claim) if claim else None, ensure_ascii=False) + "\n")
        self._lexical.save(path)
        self._vectors.save(path)
        if self._second is not None:
            self._second.save(path / SECOND_FILE, len(self._claims))
        (path / "index.json").write_text(json.dumps({"format": FORMAT_VERSION, "claims": len(self),
                                                     "vector_dtype": self.vector_dtype,
                                                     "encoder": self.encoder}), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> "ClaimIndex":
        path = Path(directory)
        try:
            meta = json.loads((path / "index.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CivicShieldError(f"no claim index in {path} ({exc}); build one with "
                                   "`civicshield factchecks index`") from None
        if meta.get("format") != FORMAT_VERSION:
            raise CivicShieldError(f"claim index in {path} has format {meta.get('format')}; rebuild it")
        dtype, encoder = meta.get("vector_dtype", "f16"), meta.get("encoder", "use")
        second = spec(encoder).second_opinion
        index = cls(vector_dtype=dtype, encoder=encoder, _lexical=LexicalIndex.load(path),
                    _vectors=VectorIndex.load(path, dtype, dimensions(encoder)),
                    _second=VectorStore.load(path / SECOND_FILE, dimensions(second)) if second else None)
        with open(path / "claims.jsonl", encoding="utf-8") as fh:
            for line in fh:
                raw = json.loads(line)
                index._claims.append(IndexedClaim(**raw) if raw else None)
        index._position = {c.id: i for i, c in enumerate(index._claims) if c is not None}
        return index


def _best_other(scores: dict[int, float], floor: float = 0.0) -> Callable[[int], float]:
    """For each position, the best score among the other positions (at least `floor`)."""
    top = sorted(scores.items(), key=lambda kv: -kv[1])[:2]
    first = (top[0][0], max(top[0][1], floor)) if top else (-1, floor)
    second = max(top[1][1], floor) if len(top) > 1 else floor
    return lambda position: second if position == first[0] else first[1]


def _rrf(evidence: Evidence, method: str) -> float:
    lexical = 1.0 / (RRF_K + evidence.bm25_rank) if evidence.bm25 > 0 else 0.0
    if method in ("bm25", "lexical"):
        return lexical
    semantic = 1.0 / (RRF_K + evidence.semantic_rank) if evidence.semantic_rank else 0.0
    return semantic if method == "embedding" else lexical + semantic
