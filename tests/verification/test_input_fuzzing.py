"""Arbitrary names and file names never crash folding and never escape the evidence folder."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from civicshield.verification.evidence import EvidenceError, check_document, display_name
from civicshield.verification.names import name_keys


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_unicode_name_folds_to_lowercase_ascii(text):
    keys = name_keys(text)
    assert keys.skeleton.isascii() and keys.skeleton == keys.skeleton.lower()
    assert set(keys.core) <= set(keys.skeleton)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_a_shown_file_name_has_no_directory_part(name):
    shown = display_name(name)
    assert shown and "/" not in shown and "\\" not in shown and shown not in (".", "..")
    assert not shown.startswith(".")


class Upload(io.BytesIO):
    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(data)
        self.name, self.size = name, len(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64), st.sampled_from(["a.pdf", "b.png", "c.jpg", "d.webp", "e.txt", "f"]))
def test_random_bytes_are_refused_with_a_reason_unless_they_are_the_named_type(data, name):
    try:
        doc = check_document(Upload(name, data), 0)
    except EvidenceError as exc:
        assert exc.index == 0 and exc.reason
    else:
        assert doc.extension in name and doc.data == data
