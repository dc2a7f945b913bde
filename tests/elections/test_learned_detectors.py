"""The learned election detectors: known false narratives caught in new words and other languages, claims
the facts cannot settle left unverified, one encoding per text, and a broken model stopping start-up."""

from __future__ import annotations

import json

import pytest

from civicshield.ads.evaluation import DEFAULT_POLICY_DIR
from civicshield.core.assess import Context, assess
from civicshield.core.detectors import Registry
from civicshield.core.events import Account, Ad, Content
from civicshield.core.heads import LinearHead, ModelError
from civicshield.core.policy import load_policy
from civicshield.core.textrep import shared_encoder
from civicshield.elections import heads
from civicshield.elections.votegov import load_us_dataset


@pytest.fixture(scope="module")
def context() -> Context:
    data = load_us_dataset()
    facts = {j["region"]: j for j in data["jurisdictions"]}
    facts["US"] = data["national"]
    return Context(load_policy(DEFAULT_POLICY_DIR), Registry.from_entry_points(), resources={"voter_facts": facts})


def post(context: Context, text: str, region: str | None = "US-PA", views: int = 5000):
    return assess(Content(id="c-1", account_id="a-1", text=text, region=region, views=views), context)


@pytest.mark.parametrize("text", [
    # a paraphrase: none of the catalogue's sentences, a different framing
    "My aunt says you can vote by texting your candidate's name to a number this year, skip the polling station!",
    # Dutch: the catalogue holds this narrative in seven other languages, not in Dutch
    "Dit jaar kun je gewoon stemmen via sms, stuur de naam van je kandidaat naar het nummer",
    # Hindi and Indonesian (read by multilingual-e5): no catalogue wording in either language
    "इस बार आप एसएमएस से वोट डाल सकते हैं, बस अपने उम्मीदवार का नाम भेजें",
    "Tahun ini kamu bisa mencoblos lewat SMS, cukup kirim nama capres ke nomor ini",
])
def test_a_paraphrase_or_translation_of_a_known_false_narrative_is_false_with_the_narrative_named(context, text):
    verdict = post(context, text)
    signal = verdict.signals["procedural_claim"]
    assert signal.value == "false"
    assert signal.evidence["narrative"]["id"] == "vote-by-text"
    assert signal.evidence["source"]["publisher"]
    assert "text message" in signal.evidence["correct_fact"]
    assert "restrict_recommendation" in verdict.actions


def test_the_correct_statement_on_the_same_topic_is_not_the_narrative(context):
    verdict = post(context, "Reminder: you cannot vote by text message. Vote in person or return your mail ballot.")
    signal = verdict.signals.get("procedural_claim")
    assert signal is None or signal.value != "false"


def test_a_claim_the_voter_facts_cannot_settle_is_unverified_never_false(context):
    verdict = post(context, "In Ohio the polls close at 7:30 pm on election day, get there early", region="US-OH")
    signal = verdict.signals["procedural_claim"]
    assert signal.value == "unverified"
    assert "restrict_recommendation" not in verdict.actions


def test_a_claim_that_contradicts_the_facts_quotes_the_correct_fact(context):
    verdict = post(context, "Texas lets you register to vote online in two minutes, do it tonight", region="US-TX")
    signal = verdict.signals["procedural_claim"]
    assert signal.value == "false"
    assert "Texas" in signal.evidence["correct_fact"] and signal.evidence["source_url"]


def test_a_government_agencys_how_to_vote_ad_is_exempt(context):
    agency = Account(id="gov", handle="sos", category="government", verified=True)
    ad = Ad(id="ad-gov", advertiser_account_id="gov", regions=["US-CA"],
            text="Register to vote by October 21. Find your polling place and mail ballot drop boxes at the "
                 "official Secretary of State website.")
    verdict = assess(ad, context.with_account(agency))
    assert "approve_ad" in verdict.actions and "reject_ad" not in verdict.actions


def test_a_candidates_ad_in_its_own_words_is_rejected_with_a_readable_reason(context):
    ad = Ad(id="ad-c", advertiser_account_id="someone", regions=["US-OH"],
            text="I'm running because our town deserves better roads and honest leadership. On November 4th, "
                 "give me your support and let's win this together.")
    verdict = assess(ad, context.with_account(Account(id="someone", handle="someone")))
    signal = verdict.signals["political_ad"]
    assert "reject_ad" in verdict.actions or "hold_for_review" in verdict.actions
    assert signal.evidence["explanation"].startswith("Political-content score")
    assert signal.evidence["classifier"]["model"].startswith("political_ad@")


def test_a_text_is_encoded_once_whichever_detectors_read_it(context):
    encoder = shared_encoder("use")
    before = encoder.texts_encoded
    text = "Everyone can vote by text this year, Democrats on Wednesday: pass it on! #Election2026 xq17"
    verdict = post(context, text)
    assert {"election_relevance", "procedural_claim"} <= set(verdict.signals)
    assert verdict.signals["election_relevance"].evidence["stage"] == "encoder"
    assert encoder.texts_encoded == before + 1


def test_text_no_stage_could_flag_costs_no_encoding(context):
    encoder = shared_encoder("use")
    before = encoder.texts_encoded
    verdict = post(context, "Morning run done, legs are jelly, coffee time zq42")
    assert verdict.signals["election_relevance"].evidence["stage"] == "lexicon"
    assert encoder.texts_encoded == before


@pytest.mark.parametrize("text", ["", "🗳️🗳️🇺🇸🔥", "Vote ВЫБОРЫ 选举 चुनाव انتخابات today", "vote " * 19_000])
def test_awkward_texts_get_a_verdict(context, text):
    verdict = post(context, text)
    assert verdict.actions


def test_a_megabyte_of_text_is_a_clear_error_for_that_event_alone():
    from civicshield.core.errors import InvalidEvent
    from civicshield.core.events import parse_event

    raw = {"id": "big", "type": "content.created", "occurred_at": "2026-10-20T12:00:00Z",
           "content": {"id": "c-big", "account_id": "a", "text": "vote " * 210_000}}
    with pytest.raises(InvalidEvent) as caught:
        parse_event(raw, 3)
    assert caught.value.index == 3 and "text" in str(caught.value)


@pytest.mark.parametrize("head", ["RELEVANCE_HEAD", "HOAX_HEAD"])
def test_a_damaged_model_file_stops_start_up_with_a_clear_error(tmp_path, monkeypatch, head):
    shipped = getattr(heads, head)
    payload = json.loads(shipped.read_text(encoding="utf-8"))
    payload["coef"][0] += 1.0
    damaged = tmp_path / shipped.name
    damaged.write_text(json.dumps(payload), encoding="utf-8")
    monkeypatch.setattr(heads, head, damaged)
    heads._load.cache_clear()
    try:
        with pytest.raises(ModelError, match="SHA-256"):
            Registry.from_entry_points().load()
        monkeypatch.setattr(heads, head, tmp_path / "absent.head.json")
        heads._load.cache_clear()
        with pytest.raises(ModelError, match="missing"):
            Registry.from_entry_points().load()
    finally:
        monkeypatch.undo()
        heads._load.cache_clear()


@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_a_damaged_surface_model_stops_start_up_with_a_clear_error(tmp_path, monkeypatch, damage):
    shipped = heads.DATA / heads.hoax_head().surface["file"]
    raw = bytearray(shipped.read_bytes())
    if damage == "changed":
        raw[len(raw) // 2] ^= 0xFF
        (tmp_path / shipped.name).write_bytes(bytes(raw))
    monkeypatch.setattr(heads, "DATA", tmp_path)
    heads._surface.cache_clear()
    try:
        with pytest.raises(ModelError, match="SHA-256" if damage == "changed" else "missing"):
            Registry.from_entry_points().load()
    finally:
        monkeypatch.undo()
        heads._surface.cache_clear()


def test_the_hoax_heads_surface_model_reads_what_embeddings_blur():
    """The character n-gram model scores a false claim above its debunk in the same words."""
    surface = heads.surface_of(heads.hoax_head())
    assert surface is not None
    claim = "Heard you can vote by text this year, just send your candidate's name to the number"
    debunk = "FAKE: you cannot vote by text. Ignore messages asking you to send a candidate's name"
    assert surface.logit(claim) > surface.logit(debunk)


def test_a_shipped_head_records_its_training_and_verifies():
    head = LinearHead.load(heads.RELEVANCE_HEAD)
    assert head.version.startswith("election_relevance@")
    assert head.meta["trained_on"] > 1000 and head.meta["cross_validation"]["cv_average_precision"] > 0.5
    assert 0 < head.thresholds["low"] <= head.thresholds["high"] < 1
