"""ProPublica Facebook Political Ad Collector: classifier seed texts (+ a small user-voted ad sample).

Source: github.com/propublica/facebook-political-ads (MIT licence, (c) 2017 ProPublica;
archived). Needs a snapshot of github.com/propublica/facebook-political-ads (see _ads_common).

What the data is
  backend/classifier/data/<locale>/seeds.json = {"political": [...], "not_political": [...]}.
  These are the seeds ProPublica used to bootstrap its per-country naive-Bayes
  political-ad classifier. Each text is a *Facebook page post* (not strictly a paid ad)
  fetched by classifier/commands/seed.py from a hand-picked list of pages
  (seeds_config.json): "political" = posts of parties, politicians, campaigns and
  advocacy groups; "not_political" = posts of brands, retailers, broadcasters and media
  (Fiat, Barilla, HBO, airlines ...). Labels are therefore assigned per PAGE by ProPublica
  journalists (distant supervision), not per text: some "political" posts are greetings or
  event notices, and some commercial pages post civic-sounding content.
  Locales used (latest stored version of each file): en-US, en-CA (mixed en/fr; fr-CA is a
  byte-identical copy and is skipped), en-AU, de-DE, de-AT, de-CH, the older combined
  "de" file (adds ~8k German commercial posts), it-IT, fi-FI, nl-BE and sv-SE (sv-SE only
  survives in history at commit c93a252a and in fact holds Swiss de/fr/it posts, not
  Swedish; the few "sv" rows come from Finland-Swedish posts in fi-FI). da-DK and nl-NL seeds exist only as blobs too large for the snapshot.
  The trailing "https://graph.facebook.com//<page>/" suffix that the seeder appended to
  every post is removed, because it names the page and so leaks the label.

  backend/classifier/experiments/german_ads.csv (commit 246a1092, later deleted): 230 real
  German Facebook ads captured by the ProPublica browser extension in Aug 2017, with the
  count of extension users who voted "political" / "not political". Kept only when the
  votes disagree in one direction (ties, mostly 0/0, dropped); category "user_vote".

language: detected per text with py3langid (restricted language set), locale as fallback.
Output: $CIVICSHIELD_DATASETS/ads/propublica.jsonl. Redistributable under MIT (keep the notice),
but the texts are third-party Facebook posts; prefer keeping them out of git.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _ads_common import detect_language, has_commit, require, show, write  # noqa: E402

REPO = "propublica/facebook-political-ads"
SOURCE = "propublica"
LICENCE = "MIT"
D = "backend/classifier/data/"
# (commit, path, locale) -- latest stored version of each usable seeds file.
SEEDS = [
    ("246a109283fc9a9cf2e7421d44bf74737e932560", D + "en-US/seeds.json", "en"),
    ("bb4b501c897408e128dba76c714a5db6ad965c42", D + "en-CA/seeds.json", "en"),
    ("c3a700b6cef3eddfe70dd7ac8d8b7d4e5a46804d", D + "en-AU/seeds.json", "en"),
    ("3b2aa22b1ab6b759f4a892b1714c25637c950e5e", D + "de-DE/seeds.json", "de"),
    ("c3a700b6cef3eddfe70dd7ac8d8b7d4e5a46804d", D + "de-AT/seeds.json", "de"),
    ("7aeea41c9502fa7ef8c7c3a8ed80ad7517fe674e", D + "de-CH/seeds.json", "de"),
    ("3611ef734a329dc8f6711b56596347faeaa29b31", D + "de/seeds.json", "de"),
    ("aad16b80b774f3835f8c2f5463f51502ecc3adb8", D + "it-IT/seeds.json", "it"),
    ("cbe015da0c4c226e72114ff62ff0b24a3439da50", D + "fi-FI/seeds.json", "fi"),
    ("d628349cd548762dfc48b0832fd8261d16fc06ac", D + "nl-BE/seeds.json", "nl"),
    ("c93a252a897ca65308dbe1905606e031fc8f6645", D + "sv-SE/seeds.json", "sv"),
]
VOTES = ("246a109283fc9a9cf2e7421d44bf74737e932560", "backend/classifier/experiments/german_ads.csv")

PAGE_SUFFIX = re.compile(r"\s*https?://(?:graph|www)\.facebook\.com/+[^\s/]+/?\s*$")


def items(gd):
    for commit, path, locale in SEEDS:
        if not has_commit(gd, commit):
            print(f"  commit {commit[:8]} missing in snapshot, skipping {path}")
            continue
        try:
            data = json.loads(show(gd, path, commit))
        except Exception as err:  # blob absent (>= 4 MiB) or unreadable
            print(f"  cannot read {path}@{commit[:8]}: {err}")
            continue
        for key, label, cat in (("political", "political", "political_page_post"),
                                ("not_political", "not_political", "commercial_or_media_page_post")):
            for text in data.get(key, []):
                text = PAGE_SUFFIX.sub("", text or "")
                yield {"text": text, "label": label, "category": cat, "lang_hint": locale}
    commit, path = VOTES
    if has_commit(gd, commit):
        rows = list(csv.reader(io.StringIO(show(gd, path, commit).decode("utf-8"))))
        rows.sort(key=lambda r: r[0])
        for r in rows:
            # id, html, political_votes, not_political_votes, ?, title, message, thumbnail, ...
            pol, notpol = int(r[2] or 0), int(r[3] or 0)
            if pol == notpol:
                continue
            text = " ".join(x for x in (r[5], re.sub(r"<[^>]+>", " ", r[6])) if x)
            yield {"text": text, "label": "political" if pol > notpol else "not_political",
                   "category": "user_vote", "lang_hint": "de"}


def main():
    gd = require(REPO)
    write(SOURCE, REPO, LICENCE, items(gd))


if __name__ == "__main__":
    main()
