"""Language identification with py3langid (model shipped in the wheel, offline).

The platform's declared language is kept as evidence but the detected one is the signal: declared
languages are often the app's UI language, not the post's.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar, Iterable

from .verdict import Signal

MIN_CHARS = 12  # shorter text is classified unreliably; fall back to the declared language


class LanguageDetector:
    name: ClassVar[str] = "language"
    cost: ClassVar[int] = 2
    applies_to: ClassVar[frozenset[str]] = frozenset({"content", "ad", "search"})
    gate: ClassVar[str | None] = None

    @cached_property
    def _identifier(self) -> Any:
        import py3langid.langid as langid

        return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)

    def detect(self, subject: Any, context: Any, signals: dict[str, Signal]) -> Iterable[Signal]:
        text = subject.analysed_text.strip()
        declared = getattr(subject, "language", None)
        if len(text) < MIN_CHARS:
            yield Signal(self.name, declared or "und",
                         {"method": "declared" if declared else "too_short", "declared": declared}, self.name)
            return
        lang, prob = self._identifier.classify(text[:2000])
        if prob < 0.5 and declared:
            yield Signal(self.name, declared, {"method": "declared", "detected": lang,
                                               "probability": round(float(prob), 3)}, self.name)
            return
        yield Signal(self.name, lang, {"method": "py3langid", "probability": round(float(prob), 3),
                                       "declared": declared}, self.name)
