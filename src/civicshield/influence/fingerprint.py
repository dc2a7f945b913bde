"""A removed network's fingerprint, and how much a newer network or account resembles it.

Operators whose network is taken down come back with fresh accounts but old habits: the same
devices and address blocks, the same links, hashtag sequences, objects to amplify and copy-pasted
texts. The fingerprint keeps exactly those traces from the network's evidence; `resemblance` says
which of them a newcomer shares. Pure: no database, so the same code serves batch runs and tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .neartext import shingles

TEXT_SIMILARITY = 0.5
# Weight of each kind of trace in the resemblance score: a shared device is near-proof of the same
# operator, a shared /24 is strong, shared behaviour keys count by the share of the newcomer's keys.
DEVICE, IP24 = 1.0, 0.7


def fingerprint(network: dict[str, Any]) -> dict[str, Any]:
    """The traces of `network` (a detected network as a dict) worth recognising later."""
    evidence = network.get("evidence", {})
    keys: dict[str, list[str]] = {}
    for layer in ("co_share", "same_url", "same_hashtags"):
        keys[layer] = sorted({item["key"] for item in evidence.get(layer, {}).get("top", [])})
    texts = sorted({item.get("sample_text", "") for item in evidence.get("same_text", {}).get("top", [])} - {""})
    accounts = evidence.get("infrastructure", {}).get("accounts", {})
    return {
        "members": sorted(network.get("members", [])),
        "behaviours": list(network.get("behaviours", [])),
        "keys": keys, "texts": texts,
        "devices": sorted({a["device"] for a in accounts.values() if a.get("device")}),
        "ip24": sorted({a["ip24"] for a in accounts.values() if a.get("ip24")}),
        "asns": sorted({a["asn"] for a in accounts.values() if a.get("asn")}),
    }


@dataclass
class Resemblance:
    score: float
    matched: dict[str, Any] = field(default_factory=dict)


def _text_match(texts: list[str], known: list[str]) -> list[str]:
    known_sets = [shingles(t) for t in known]
    found = []
    for text in texts:
        mine = shingles(text)
        for other in known_sets:
            if mine and other and len(mine & other) / len(mine | other) >= TEXT_SIMILARITY:
                found.append(text)
                break
    return found


def resemblance(removed: dict[str, Any], newcomer: dict[str, Any]) -> Resemblance:
    """How much `newcomer` (a fingerprint, or one account's traces in the same shape) resembles `removed`."""
    shared_keys = {layer: sorted(set(newcomer.get("keys", {}).get(layer, [])) & set(keys))
                   for layer, keys in removed.get("keys", {}).items()}
    shared_keys = {layer: keys for layer, keys in shared_keys.items() if keys}
    texts = _text_match(newcomer.get("texts", []), removed.get("texts", []))
    own = sum(len(v) for v in newcomer.get("keys", {}).values()) + len(newcomer.get("texts", []))
    behaviour = (sum(len(v) for v in shared_keys.values()) + len(texts)) / own if own else 0.0
    devices = sorted(set(newcomer.get("devices", [])) & set(removed.get("devices", [])))
    ip24 = sorted(set(newcomer.get("ip24", [])) & set(removed.get("ip24", [])))
    infrastructure = DEVICE if devices else IP24 if ip24 else 0.0
    matched: dict[str, Any] = {}
    if shared_keys:
        matched["keys"] = shared_keys
    if texts:
        matched["texts"] = texts
    if devices:
        matched["devices"] = devices
    if ip24:
        matched["ip24"] = ip24
    return Resemblance(round(max(behaviour, infrastructure), 4), matched)


def account_traces(account_id: str, network: dict[str, Any]) -> dict[str, Any]:
    """One member's own traces within a detected network: its keys, texts and infrastructure."""
    evidence = network.get("evidence", {})
    keys = {layer: sorted({item["key"] for item in evidence.get(layer, {}).get("top", [])
                           if any(who[0] == account_id for who in item.get("who", []))})
            for layer in ("co_share", "same_url", "same_hashtags")}
    texts = [item.get("sample_text", "") for item in evidence.get("same_text", {}).get("top", [])
             if any(who[0] == account_id for who in item.get("who", []))]
    info = evidence.get("infrastructure", {}).get("accounts", {}).get(account_id, {})
    return {"keys": keys, "texts": [t for t in texts if t],
            "devices": [info["device"]] if info.get("device") else [],
            "ip24": [info["ip24"]] if info.get("ip24") else []}
