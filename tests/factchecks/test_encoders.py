"""Choosing the encoder: the live index follows the configured one, and an unknown one is refused."""

from __future__ import annotations

import pytest

from civicshield.core.errors import CivicShieldError
from civicshield.factchecks import store
from civicshield.factchecks.claimreview import read_claimreviews
from civicshield.factchecks.matching import ClaimIndex

from .conftest import MAIL_BALLOT_CLAIM, review

SPANISH_COPY = "En Pensilvania tiran a la basura las papeletas por correo con matasellos posterior al día de las elecciones."


@pytest.mark.django_db(transaction=True)
def test_changing_the_configured_encoder_re_embeds_the_stored_fact_checks(settings) -> None:
    records, _ = read_claimreviews(review(MAIL_BALLOT_CLAIM, "False"))
    store.save_records(records, "claimreview")
    assert store.live_index().index.encoder == "use"

    store.reset_index()
    settings.FACTCHECK_ENCODER = "e5"
    live = store.live_index()
    assert live.index.encoder == "e5" and len(live) == 1
    assert live.search(SPANISH_COPY)[0].claim.text == MAIL_BALLOT_CLAIM

    store.reset_index()  # the re-embedded index was persisted: the next process loads it as is
    again = store.live_index()
    assert again.index.encoder == "e5" and len(again) == 1


def test_an_unknown_encoder_is_refused_by_name() -> None:
    with pytest.raises(CivicShieldError, match="unknown encoder 'bert'.*use, e5"):
        ClaimIndex(encoder="bert")
