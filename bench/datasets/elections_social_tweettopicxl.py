"""TweetTopicXL / X-Topic (Cardiff NLP, EMNLP 2024) -> $CIVICSHIELD_DATASETS/elections/social_tweettopicxl.jsonl

Source: snapshot of github.com/anon7331/tweet_topicXL (the anonymous release of X-Topic), files
data/{en,es}/{lang}_1000.jsonl: 1,000 tweets per language collected from X (Twitter) between Sep 2021
and Aug 2022, each multi-labelled by five coders with the 19 TweetTopic topics (a topic is kept when
at least two coders agree). Greek and Japanese files exist but are not used (not CivicShield languages).

Licence: MIT (LICENCE file of the repository). Tweet text remains subject to X terms -> use locally,
do not redistribute the output.

Mapping rule (mechanical, uses only the coders' topic labels): the taxonomy has no election topic;
political / election talk can only fall under "news_&_social_concern".
  * None  if news_&_social_concern == 1 (may or may not be about elections - left unlabelled)
  * False otherwise (the tweet is only about sports, music, daily life, gaming, food ... )
  * True  never: this source contributes general-domain negatives only. Pair it with an election
          source in the same language (e.g. social_coset for Spanish) to avoid a language shortcut.
topic_labels = the tweet's topic names. platform = "twitter".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _elections_common import head_commit, record, require, show, write  # noqa: E402

REPO = "anon7331/tweet_topicXL"
SOURCE = "social_tweettopicxl"
LICENCE = "MIT (repository LICENCE); tweets (c) their authors under X terms; do not redistribute"
LANGS = ["en", "es"]


def main() -> None:
    gd = require(REPO)
    commit = head_commit(gd)
    rows, n, paths = [], 0, []
    for lang in LANGS:
        path = f"data/{lang}/{lang}_1000.jsonl"
        paths.append(path)
        seen = set()
        for line in show(gd, path).decode("utf-8").splitlines():
            if not line.strip():
                continue
            obj = json.loads(line)
            text = " ".join((obj.get("text") or "").split())
            if not text or text in seen:
                continue
            seen.add(text)
            rel = None if float(obj.get("news_&_social_concern") or 0) >= 1 else False
            n += 1
            rows.append(record(SOURCE, n, text, lang, election_related=rel,
                               topic_labels=obj.get("topics") or [], repo=REPO, licence=LICENCE,
                               platform="twitter", tweet_id_approx=obj.get("id")))
    write(SOURCE, rows, {"repo": REPO, "paths": paths, "commit": commit, "licence": LICENCE,
                         "redistributable": False,
                         "label_rule": "news_&_social_concern -> null, any other topic set -> false"})


if __name__ == "__main__":
    main()
