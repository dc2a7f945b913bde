"""Malformed and truncated media through the real intake pipeline: every event is processed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ev_content

from .conftest import IPTC, picture, sign_image

_SEEDS: list[bytes] = []


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=6),
       choice=st.integers(0, 1))
def test_damaged_media_never_breaks_intake(ingest, settings_media_root, pki, cut, flips, choice):
    if not _SEEDS:
        _SEEDS.extend([sign_image(pki, IPTC + "trainedAlgorithmicMedia"), picture(fmt="PNG")])
    data = bytearray(_SEEDS[choice][:int(len(_SEEDS[choice]) * cut)])
    for where, mask in flips:
        if data:
            data[int(where * (len(data) - 1))] ^= mask
    (settings_media_root / "f.bin").write_bytes(bytes(data))
    result = ingest([ev_content(text="Election day photo", media=[{"id": "m", "path": "f.bin"}])], dry_run=True)
    assert not result.errors
    (outcome,) = result.outcomes
    provenance = outcome.verdict.signals["provenance"].evidence["items"][0]
    assert provenance["validation_state"] in {"none", "valid", "invalid", "error", "unverifiable", "trusted"}


@pytest.fixture
def settings_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path
