"""The project's labelled ads: built from templates, split so evaluation never sees training text.

`data/ads_templates.yaml` holds hand-written ads in six languages with {slots}; every template and
every slot value belongs to one split, so the held-out set (`data/ads_eval.jsonl`) shares no template
and no name, product or cause with the training set (`data/ads_train.jsonl`). Each line is an
`ad.submitted` event with a top-level `expected` (`political` / `not_political`), an `advertiser`
account (its category decides some cases whatever the text), `text_political` (the label of the text
alone, what the classifier learns) and `language`. Building is deterministic for a seed.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path
from typing import Any, Iterator

import yaml

DATA = Path(__file__).parent / "data"
TEMPLATES_FILE = DATA / "ads_templates.yaml"
TRAIN_FILE = DATA / "ads_train.jsonl"
EVAL_FILE = DATA / "ads_eval.jsonl"
REGIONS = {"en": ["US-CA", "US-TX", "GB"], "es": ["ES", "MX"], "de": ["DE"], "fr": ["FR"], "pt": ["BR"],
           "it": ["IT"]}
VARIANTS = {"train": 8, "heldout": 6}
_SLOT = re.compile(r"\{(\w+)\}")


def _fill(template: str, values: dict[str, list[str]], endings: list[str], limit: int,
          rng: random.Random) -> list[str]:
    names = list(dict.fromkeys(_SLOT.findall(template)))
    combos = list(itertools.product(*(values[n] for n in names), endings))
    rng.shuffle(combos)
    return [template.format(**dict(zip(names, combo[:-1]))) + combo[-1] for combo in combos[:limit]]


def _advertiser(group: str, lang: str, n: int, rng: random.Random, verified: bool = True) -> dict[str, Any]:
    category = {"political": rng.choice(["regular", "creator", "regular"]),
                "not_political": rng.choice(["regular", "creator", "regular", "news_org"]),
                "gov_health": "government", "gov_voting": "government",
                "advertiser_only": rng.choice(["politician", "political_party"])}[group]
    return {"id": f"adv-{lang}-{group}-{n}", "handle": f"adv_{lang}_{group}_{n}", "category": category,
            "verified": verified if category == "government" else rng.random() < 0.3,
            "region": REGIONS[lang][0]}


def build(split: str, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Labelled events for one split ("train" or "heldout")."""
    spec = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))
    rng = random.Random(f"{seed}:{split}")
    n = 0
    for lang, groups in spec["templates"].items():
        values = {slot: pools[split] for slot, pools in spec["slots"][lang].items()}
        for group, splits in groups.items():
            for template in splits.get(split, []):
                endings = spec["decorations"][lang][split]
                for text in _fill(template, values, endings, VARIANTS[split], rng):
                    n += 1
                    yield _line(split, lang, group, text, n, rng)
                    if group.startswith("gov_") and n % 3 == 0:
                        # The same notice from an unverified government account is not exempt.
                        n += 1
                        yield _line(split, lang, group, text, n, rng, verified=False)


def _line(split: str, lang: str, group: str, text: str, n: int, rng: random.Random,
          verified: bool = True) -> dict[str, Any]:
    advertiser = _advertiser(group, lang, n, rng, verified)
    political = group in ("political", "advertiser_only") or (group.startswith("gov_") and not verified)
    return {
        "id": f"ads-{split}-{n:04d}", "type": "ad.submitted", "occurred_at": "2026-10-01T12:00:00Z",
        "ad": {"id": f"ad-{split}-{n:04d}", "advertiser_account_id": advertiser["id"], "text": text,
               "regions": [rng.choice(REGIONS[lang])]},
        "expected": "political" if political else "not_political",
        "text_political": group in ("political", "gov_voting"), "group": group, "language": lang, "advertiser": advertiser,
    }


def write(split: str, path: Path, seed: int = 7) -> int:
    lines = list(build(split, seed))
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
