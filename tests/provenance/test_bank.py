"""PDQ hashing, near-duplicate matching and the ThreatExchange text form."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from civicshield.core.errors import ProvenanceError
from civicshield.provenance.bank import (BankEntry, HashIndex, format_threatexchange, hashes_to_array,
                                         parse_threatexchange)
from civicshield.provenance.hashing import hamming, pdq_image

from .conftest import picture


def _flip(hexes: str, bits: list[int]) -> str:
    value = int(hexes, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:064x}"


def test_reencoded_and_resized_copy_is_a_near_duplicate():
    original = pdq_image(picture(seed=3, size=256))
    image = Image.open(io.BytesIO(picture(seed=3, size=256))).resize((200, 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60)
    copy = pdq_image(buffer.getvalue())
    other = pdq_image(picture(seed=11, size=256))
    assert original.usable and copy.usable
    assert hamming(original.hex, copy.hex) <= 31 < hamming(original.hex, other.hex)


def test_flat_image_has_low_quality():
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), (128, 128, 128)).save(buffer, "PNG")
    assert not pdq_image(buffer.getvalue()).usable


@pytest.mark.parametrize("data", [b"", b"not an image", picture()[:200]])
def test_undecodable_image_raises_a_provenance_error(data):
    with pytest.raises(ProvenanceError):
        pdq_image(data)


def test_index_finds_exactly_the_hashes_within_31_bits():
    rng = np.random.default_rng(7)
    bank = [f"{int.from_bytes(rng.bytes(32), 'big'):064x}" for _ in range(3000)]
    queries = [_flip(bank[0], list(range(0, 31))),             # distance 31: match
               _flip(bank[1], list(range(0, 64, 2))),           # distance 32: no match
               bank[2],                                         # exact
               _flip(bank[3], [255, 0, 128])]
    index = HashIndex.from_hex(bank)
    rows, found, distance = index.search(hashes_to_array(queries))
    got = {(int(q), int(b), int(d)) for q, b, d in zip(rows, found, distance)}
    expected = {(q, b, hamming(query, bank[b])) for q, query in enumerate(queries)
                for b in range(len(bank)) if hamming(query, bank[b]) <= 31}
    assert got == expected
    assert (0, 0, 31) in got and (2, 2, 0) in got and not any(q == 1 for q, _, _ in got)


def test_empty_index_matches_nothing():
    rows, _, _ = HashIndex.from_hex([]).search(hashes_to_array(["0" * 64]))
    assert len(rows) == 0


def test_threatexchange_text_round_trip_and_bad_lines():
    good = "f" * 64
    text = [f"pdq {good} {{\"fact_check\": \"https://example.org/fc/1\"}}", "",
            "# comment", f"{'a' * 64},90,photo.jpg", "pdq nothex", f"md5 {'b' * 32}",
            f"{'c' * 64},10,flat.jpg", f"pdq {'D' * 64} quoted note"]
    entries, errors = parse_threatexchange(text)
    assert [e.hash for e in entries] == [good, "a" * 64, "d" * 64]
    assert entries[0].metadata == {"fact_check": "https://example.org/fc/1"}
    assert entries[1].quality == 90 and entries[2].metadata == {"note": "quoted note"}
    assert [(e.line, e.reason.split(" ")[0]) for e in errors] == [(5, "not"), (6, "unknown"), (7, "quality")]
    again, problems = parse_threatexchange(format_threatexchange(entries).splitlines())
    assert again == entries and problems == []
    assert format_threatexchange([BankEntry(good)]) == f"pdq {good}\n"


def test_hashes_below_quality_50_are_not_banked_and_50_is():
    """PDQ's own guidance: hashes of quality under 50 (flat or tiny images) match too much to act on."""
    entries, errors = parse_threatexchange([f"{'a' * 64},49,dim.jpg", f"{'b' * 64},50,ok.jpg"])
    assert [e.hash for e in entries] == ["b" * 64]
    assert [(e.line, e.reason) for e in errors] == [(1, "quality 49 is below 50; not banked")]
