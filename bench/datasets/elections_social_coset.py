"""COSET (IberEval 2017, Classification Of Spanish Election Tweets) -> $CIVICSHIELD_DATASETS/elections/social_coset.jsonl

Source: snapshot of github.com/Ambros94/IberEval2017 (a participant's repository that ships the COSET
task data), files resources/coset/coset-train.csv and resources/coset/coset-dev.csv (CSV: tweet id,
tweet text, label). The tweets are Spanish tweets collected by the COSET organisers with keywords about
the Spanish general election of 20 December 2015 (party / leader names, campaign hashtags) and annotated
by them into five topics (label legend in atoppe/data_loaders/coset.py of the same repository):
  1  Political issues  - "related to the most abstract electoral confrontation" (parties, polls, pacts)
  2  Policy issues     - sectorial policies (economy, education, corruption ...)
  9  Campaign issues   - "related with the evolution of the campaign" (debates, rallies, voting calls)
  10 Personal issues   - personal life and activities of the candidates
  11 Other issues      - everything else; in practice tweets that matched an ambiguous collection keyword
                         but are off-topic (e.g. "Daniel Rivera", "ciudadanos" in Latin-American news,
                         Christmas giveaways) -> natural hard negatives from the same platform and period.
coset-test-text.csv has no labels and is NOT used.

Licence: the repository is GPL-3.0 (LICENSE file; it covers the repository). The COSET tweets were
distributed by the IberEval 2017 organisers for research; tweet text remains subject to Twitter/X terms.
Recorded as "GPL-3.0 (repository); COSET/IberEval-2017 research data, tweets (c) authors" -> use locally,
do not redistribute the output.

Mapping rule (mechanical, uses only the organisers' topic label):
  * True  if label in {1 (political issues), 9 (campaign issues)}
  * None  if label in {2 (policy issues), 10 (personal issues)} - political talk during the campaign whose
          election relevance is not decided by the label
  * False if label == 11 (other issues)
Exact duplicate texts (after whitespace normalisation) are kept once (first occurrence wins).
topic_labels = [COSET label name]. platform = "twitter".
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _elections_common import head_commit, record, require, show, write  # noqa: E402

REPO = "Ambros94/IberEval2017"
SOURCE = "social_coset"
LICENCE = ("GPL-3.0 (repository LICENSE); COSET/IberEval-2017 research data, tweets (c) their authors "
           "under Twitter/X terms; not redistributable")
PATHS = {"train": "resources/coset/coset-train.csv", "dev": "resources/coset/coset-dev.csv"}
NAMES = {"1": "political_issues", "2": "policy_issues", "9": "campaign_issues",
         "10": "personal_issues", "11": "other_issues"}
RULE = {"1": True, "9": True, "2": None, "10": None, "11": False}


def main() -> None:
    gd = require(REPO)
    commit = head_commit(gd)
    rows, seen, n = [], set(), 0
    for split, path in PATHS.items():
        data = show(gd, path).decode("utf-8")
        for cols in csv.reader(io.StringIO(data)):
            if len(cols) < 3 or cols[-1].strip() not in RULE:
                continue
            text = " ".join(cols[1].split())
            if not text or text in seen:
                continue
            seen.add(text)
            lab = cols[-1].strip()
            n += 1
            rows.append(record(SOURCE, n, text, "es", election_related=RULE[lab],
                               topic_labels=[NAMES[lab]], repo=REPO, licence=LICENCE,
                               platform="twitter", tweet_id=cols[0], split=split,
                               original_label=lab))
    write(SOURCE, rows, {"repo": REPO, "paths": list(PATHS.values()), "commit": commit,
                         "licence": LICENCE, "redistributable": False,
                         "label_rule": "COSET topic 1/9 -> true, 2/10 -> null, 11 -> false"})


if __name__ == "__main__":
    main()
