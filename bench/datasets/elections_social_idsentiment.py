"""Indonesian social-media sentiment datasets (Brawijaya Univ.) -> $CIVICSHIELD_DATASETS/elections/social_idsentiment.jsonl

Source: snapshot of github.com/rizalespe/Dataset-Sentimen-Analisis-Bahasa-Indonesia, five small
Indonesian social-media corpora published together (same group, same period, 2017-2018), each collected
for ONE topic and labelled only for sentiment:
  dataset_tweet_sentiment_pilkada_DKI_2017.csv        900 tweets about the 2017 Jakarta governor election
                                                       (Pilkada DKI), collected per candidate pair
                                                       (column "Pasangan Calon": Agus-Sylvi, Ahok-Djarot,
                                                       Anies-Sandi)
  dataset_tweet_sentimen_tayangan_tv.csv              400 tweets about 4 TV shows (column "Acara TV")
  dataset_tweet_sentiment_cellular_service_provider.csv 300 tweets about mobile operators
  dataset_tweet_sentiment_opini_film.csv              200 tweets giving opinions on films
  dataset_komentar_instagram_cyberbullying.csv        400 Instagram comments on celebrity posts
Text was lightly preprocessed by the publishers (emoji -> tags, mentions/URLs/provider names -> tags).

Licence: no LICENSE file. README: "Dataset ini tersedia untuk penggunaan pribadi" (available for personal
use; publications must cite the listed papers) -> recorded as "personal/research use only (README)";
not redistributable, never commit the output.

Mapping rule (mechanical, by collection set = the file a post comes from, i.e. its collection topic):
  * True  for every tweet of the Pilkada DKI 2017 file (collected for the election's candidate pairs)
  * None  for the TV-show tweets about the political talk shows IndonesiaLawyersClubTvOne and
          MataNajwaMetroTV (their episodes in 2017 discussed the Pilkada -> ambiguous)
  * False for the other TV-show tweets (HitamPutihTransTV, KickAndyMetroTV), the mobile-operator tweets,
          the film-opinion tweets and the Instagram cyberbullying comments.
Exact duplicate texts are kept once. platform = twitter / instagram. topic_labels = [collection set,
(candidate pair or TV show)]; sentiment = the publisher's sentiment label.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _elections_common import head_commit, record, require, show, write  # noqa: E402

REPO = "rizalespe/Dataset-Sentimen-Analisis-Bahasa-Indonesia"
SOURCE = "social_idsentiment"
LICENCE = "personal/research use only (README: 'tersedia untuk penggunaan pribadi', cite papers); not redistributable"
POLITICAL_TV = {"IndonesiaLawyersClubTvOne", "MataNajwaMetroTV"}
FILES = [  # path, collection set, platform, text column, extra topic column
    ("dataset_tweet_sentiment_pilkada_DKI_2017.csv", "pilkada_dki_2017", "twitter", "Text Tweet", "Pasangan Calon"),
    ("dataset_tweet_sentimen_tayangan_tv.csv", "tv_shows", "twitter", "Text Tweet", "Acara TV"),
    ("dataset_tweet_sentiment_cellular_service_provider.csv", "cellular_providers", "twitter", "Text Tweet", None),
    ("dataset_tweet_sentiment_opini_film.csv", "film_opinions", "twitter", "Text Tweet", None),
    ("dataset_komentar_instagram_cyberbullying.csv", "instagram_cyberbullying", "instagram",
     "Instagram Comment Text", None),
]


def label(collection: str, sub: str | None):
    if collection == "pilkada_dki_2017":
        return True
    if collection == "tv_shows" and sub in POLITICAL_TV:
        return None
    return False


def main() -> None:
    gd = require(REPO)
    commit = head_commit(gd)
    rows, seen, n = [], set(), 0
    for path, coll, platform, tcol, subcol in FILES:
        data = show(gd, path).decode("utf-8-sig")
        for r in csv.DictReader(io.StringIO(data)):
            text = " ".join((r.get(tcol) or "").split())
            if not text or text in seen:
                continue
            seen.add(text)
            sub = (r.get(subcol) or "").strip() if subcol else None
            n += 1
            rows.append(record(SOURCE, n, text, "id", election_related=label(coll, sub),
                               topic_labels=[coll] + ([sub] if sub else []), repo=REPO, licence=LICENCE,
                               platform=platform, collection=coll, file=path,
                               sentiment=(r.get("Sentiment") or "").strip() or None))
    write(SOURCE, rows, {"repo": REPO, "paths": [f[0] for f in FILES], "commit": commit,
                         "licence": LICENCE, "redistributable": False,
                         "label_rule": "pilkada file -> true; ILC/Mata Najwa TV tweets -> null; rest -> false"})


if __name__ == "__main__":
    main()
