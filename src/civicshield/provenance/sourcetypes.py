"""What a digital-source-type value means, decided by its exact IPTC term.

IPTC's controlled vocabulary (and C2PA's addition `trainedAlgorithmicData`) is written as a URI, in
`http`, `https` or bare form. Only the last segment matters and it is compared exactly: substring
matching would count `algorithmicMedia` (pure computation, no trained model) as AI, which the IPTC
definitions explicitly distinguish.
"""

from __future__ import annotations

AI_TERMS: frozenset[str] = frozenset({
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "compositeSynthetic",
    "trainedAlgorithmicData",
})


def source_type_term(value: object) -> str:
    """The vocabulary term of a digital-source-type value: the last URI segment, or the bare term."""
    if not isinstance(value, str):
        return ""
    text = value.strip().rstrip("/")
    for separator in ("/", "#"):
        text = text.rsplit(separator, 1)[-1]
    # QName form used in some XMP writers, e.g. `digsrctype:trainedAlgorithmicMedia`.
    return text.rsplit(":", 1)[-1] if ":" in text else text


def is_ai_source_type(value: object) -> bool:
    """True when the value names media made (wholly or partly) by a trained model."""
    return source_type_term(value) in AI_TERMS
