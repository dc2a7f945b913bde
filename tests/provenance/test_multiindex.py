"""The bank index finds exactly what a linear scan finds, by both of its strategies (a pass over the
bank for a few queries, the query-table join for many): random banks, near-duplicates with their
flipped bits spread over the chunks every way, every radius, duplicates, batches split in parts, and
the numpy fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicshield.provenance import bank as bank_module
from civicshield.provenance.bank import CHUNKS, HashIndex


def linear_scan(bank: np.ndarray, queries: np.ndarray, radius: int) -> set[tuple[int, int, int]]:
    distance = np.bitwise_count(queries.view(np.uint64)[:, None, :] ^ bank.view(np.uint64)[None, :, :]).sum(axis=2)
    q, b = np.nonzero(distance <= radius)
    return {(int(i), int(j), int(distance[i, j])) for i, j in zip(q, b)}


def found(index: HashIndex, queries: np.ndarray, radius: int) -> list[tuple[int, int, int]]:
    rows, hits, distance = index.search(queries, radius)
    return [(int(q), int(b), int(d)) for q, b, d in zip(rows, hits, distance)]


def found_both_ways(index: HashIndex, queries: np.ndarray, radius: int) -> list[tuple[int, int, int]]:
    """The answer of the bank scan, checked equal to the join's for the same queries."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bank_module, "SCAN_LIMIT", 10**9)
        scanned = found(index, queries, radius)
        patch.setattr(bank_module, "SCAN_LIMIT", 0)
        joined = found(index, queries, radius)
    assert scanned == joined
    return scanned


def flip_per_chunk(hash_: np.ndarray, flips: list[int], rng: np.random.Generator) -> np.ndarray:
    """A copy of `hash_` with flips[k] distinct bits flipped inside chunk k (bytes 2k, 2k + 1)."""
    bits = np.unpackbits(hash_.copy())
    for k, count in enumerate(flips):
        bits[16 * k + rng.choice(16, size=count, replace=False)] ^= 1
    return np.packbits(bits)


def test_pigeonhole_bound_holds_for_every_radius():
    """Any split of a distance r <= 47 over 16 cyclic chunks has a chunk k with d_k <= r // 16 and
    d_k + d_{k+1} <= r // 8: the smallest split violating that for all k sums to more than r."""
    for radius in range(48):
        flips, pair_bound = radius // 16, radius // 8
        assert _smallest_violating_sum(flips, pair_bound) > radius


def _smallest_violating_sum(flips: int, pair_bound: int) -> int:
    def allowed(here: int, after: int) -> bool:
        return not (here <= flips and here + after <= pair_bound)

    best = 10**9
    for first in range(17):
        cost = {first: first}
        for _ in range(CHUNKS - 1):
            step: dict[int, int] = {}
            for previous, total in cost.items():
                for value in range(17):
                    if allowed(previous, value) and total + value < step.get(value, 10**9):
                        step[value] = total + value
            cost = step
        best = min([best] + [total for last, total in cost.items() if allowed(last, first)])
    return best


@st.composite
def spread_distances(draw):
    """Per-chunk distances (each 0..16) adding up to at most 47, often right at a radius."""
    flips = draw(st.lists(st.integers(0, 4), min_size=CHUNKS, max_size=CHUNKS))
    while sum(flips) > 47:
        flips[flips.index(max(flips))] -= 1
    return flips


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), spreads=st.lists(spread_distances(), min_size=1, max_size=8),
       radius=st.sampled_from([0, 1, 8, 15, 16, 23, 24, 30, 31, 32, 39, 40, 47]))
def test_near_duplicates_spread_over_the_chunks_are_found_exactly(seed, spreads, radius):
    rng = np.random.default_rng(seed)
    bank = rng.integers(0, 256, size=(500, 32), dtype=np.uint8)
    bank[7] = bank[3]                                                     # a hash banked twice
    queries = np.stack([flip_per_chunk(bank[rng.integers(0, 500)], flips, rng) for flips in spreads]
                       + [rng.integers(0, 256, size=32, dtype=np.uint8)])
    got = found_both_ways(HashIndex(bank), queries, radius)
    assert len(got) == len(set(got))
    assert set(got) == linear_scan(bank, queries, radius)


def test_random_bank_with_many_queries_matches_the_linear_scan():
    rng = np.random.default_rng(11)
    bank = rng.integers(0, 256, size=(20_000, 32), dtype=np.uint8)
    near = [flip_per_chunk(bank[i], list(rng.multinomial(int(rng.integers(0, 41)), [1 / 16] * 16).clip(0, 16)), rng)
            for i in rng.integers(0, len(bank), size=600)]
    queries = np.vstack([np.stack(near), rng.integers(0, 256, size=(600, 32), dtype=np.uint8)])
    got = found(HashIndex(bank), queries, 31)
    assert got == sorted(got, key=lambda t: (t[0], t[2], t[1]))
    assert set(got) == linear_scan(bank, queries, 31) and len(got) == len(set(got))
    assert len(got) > 300


@pytest.mark.parametrize("size", [0, 1, 2, 3, 65_537])
def test_tiny_and_odd_sized_banks(size):
    rng = np.random.default_rng(size)
    bank = rng.integers(0, 256, size=(size, 32), dtype=np.uint8)
    queries = np.vstack([bank[:3], rng.integers(0, 256, size=(2, 32), dtype=np.uint8)])
    assert set(found_both_ways(HashIndex(bank), queries, 31)) == linear_scan(bank, queries, 31)


@pytest.mark.parametrize("radius", [15, 31, 40])
def test_a_large_batch_is_joined_in_parts_with_the_same_answers(monkeypatch, radius):
    rng = np.random.default_rng(radius)
    bank = rng.integers(0, 256, size=(5_000, 32), dtype=np.uint8)
    queries = np.stack([flip_per_chunk(bank[i], list(rng.multinomial(radius, [1 / 16] * 16).clip(0, 16)), rng)
                        for i in rng.integers(0, len(bank), size=700)])
    whole = found(HashIndex(bank), queries, radius)
    monkeypatch.setattr(bank_module, "_TABLE_ENTRIES", 16 * 137 * 64)   # 64 queries a part at most
    assert found(HashIndex(bank), queries, radius) == whole
    assert set(whole) == linear_scan(bank, queries, radius) and len(whole) >= 700


def test_hashes_can_be_plain_bytes_and_a_partial_hash_is_refused():
    rng = np.random.default_rng(3)
    bank = rng.integers(0, 256, size=(100, 32), dtype=np.uint8)
    index = HashIndex(bank.tobytes())
    assert found(index, bank[5].tobytes(), 31)[0] == (0, 5, 0)
    with pytest.raises(ValueError, match="32 bytes each; got 33 bytes"):
        index.search(bytes(33))
    with pytest.raises(ValueError, match="32 bytes each"):
        HashIndex(bytes(40))


def test_searching_a_bank_does_not_load_numpy():
    """A matching worker holds the bank and the extension, nothing else (numpy alone is about 21 MB)."""
    script = ("import sys; from civicshield.provenance.bank import HashIndex; "
              "index = HashIndex(bytes(range(32)) * 70_000); "
              "assert index.search(bytes(range(32)) * 40)[0].tolist()[:2] == [0, 0]; "
              "print('numpy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_fallback_scan_gives_the_same_answers(monkeypatch):
    rng = np.random.default_rng(5)
    bank = rng.integers(0, 256, size=(3000, 32), dtype=np.uint8)
    queries = np.stack([flip_per_chunk(bank[i], [2] * 15 + [1], rng) for i in range(300)])
    compiled = found(HashIndex(bank), queries, 31)
    monkeypatch.setattr(bank_module, "_multiindex", None)
    assert found(HashIndex(bank), queries, 31) == compiled and len(compiled) == 300


def test_radius_out_of_range_is_refused():
    index = HashIndex(np.zeros((4, 32), dtype=np.uint8))
    with pytest.raises(ValueError, match="radius"):
        index.search(np.zeros((1, 32), dtype=np.uint8), 48)


def test_the_avx512_scan_and_the_scalar_scan_find_the_same_pairs():
    """Where the CPU has AVX-512 VPOPCNTDQ a few queries are scanned two hashes per register; the
    scalar loop (CIVICSHIELD_PDQ_NO_AVX512=1, or another CPU) must give the same answer, odd rows too."""
    script = ("import json, numpy as np; from civicshield.provenance import _multiindex as m; "
              "from civicshield.provenance.bank import HashIndex; rng = np.random.default_rng(9); "
              "bank = rng.integers(0, 256, size=(4097, 32), dtype=np.uint8); "
              "near = bank[[0, 17, 4096]].copy(); near[:, :4] ^= np.uint8(0x7f); "
              "queries = np.vstack([near, rng.integers(0, 256, size=(9, 32), dtype=np.uint8)]); "
              "print(json.dumps([m.wide_scan(), [r.tolist() for r in HashIndex(bank).search(queries)]]))")
    runs = {}
    for flag in ("0", "1"):
        env = {**os.environ, "CIVICSHIELD_PDQ_NO_AVX512": flag}
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
        runs[flag] = json.loads(done.stdout)
    assert runs["1"][0] is False
    assert runs["0"][1] == runs["1"][1]
    assert set(zip(*runs["1"][1])) >= {(0, 0, 28), (1, 17, 28), (2, 4096, 28)}   # 4 bytes x 7 bits
