"""Procedural voting-claim candidates and false-voting-narrative catalogue, for hand review.

Reads the normalised files written by the elections_<source>.py builders in
$CIVICSHIELD_DATASETS/elections/ (liar, claimskg_topics, tse_urnas, turnbackhoax_pilpres, euvsdisinfo,
xclaim; missing files are skipped) and writes:

  voting_claims_candidates.jsonl  - rows with role
      "procedural_keyword_match": the text matches the language's PROCEDURAL pattern below
          (terms about when/where/how/who can vote or register: voter ID, registering to vote,
          polling places / polls open-close, election day, mail/absentee/early ballots, drop boxes,
          who is eligible (non-citizens, felons, dead people ... + vote), voting machines/ballot
          papers/voter lists in pt/id, the words for vote/voter/polling booth/EVM in hi/pa/ta/te/bn);
      "nonprocedural_negative_candidate": rows whose SOURCE label says election_related == True but
          which do not match the pattern; at most NEG_PER_GROUP per (source, language), chosen
          deterministically by the sha1 of the row id.
    A keyword match is NOT a procedural label: field "procedural" stays null until hand review.
  false_voting_narratives.jsonl   - the procedural_keyword_match rows whose fact-checker verdict is
      in FALSE_VERDICTS and which carry a fact-check URL (catalogue of debunked voting narratives).

Rows are de-duplicated on lower-cased whitespace-normalised text (first occurrence kept, in
SOURCES order). Deterministic: no randomness other than sha1 ordering.
"""

from __future__ import annotations

import os
import hashlib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

DIR = Path(os.environ.get("CIVICSHIELD_DATASETS", "var/datasets")) / "elections"
SOURCES = ["claimskg_topics", "liar", "tse_urnas", "turnbackhoax_pilpres", "euvsdisinfo", "xclaim"]
NEG_PER_GROUP = 60
I = re.IGNORECASE
PROCEDURAL = {
    "en": re.compile(
        r"\bvot(e|es|ing) (by|via|online|over the phone|by text|by mail|twice|early)\b"
        r"|\bvoter (id|identification|registration|rolls?|card)s?\b|\bregist(er|ered|ering|ration) to vote\b"
        r"|\bvoter registration\b|\bpolling (place|station|location|site)s?\b|\bpolls? (close|open)s?\b"
        r"|\belection day\b|\b(absentee|mail-in|mail|provisional|early|postal) (ballot|voting|vote)s?\b"
        r"|\bballot drop ?box(es)?\b|\bdrop ?box(es)?\b|\bpostmark(ed)?\b|\bsame[- ]day registration\b"
        r"|\b(non-?citizens?|illegal (immigrants?|aliens?)|undocumented (immigrants?)?|felons?|dead people"
        r"|noncitizens?)\b.{0,60}\b(vot|regist)|\b(eligible|allowed|able) to vote\b"
        r"|\bcan(not|'t| not)? vote\b|\bphoto id\b|\bid to vote\b|\bvoting machines?\b", I),
    "pt": re.compile(
        r"\burnas?\b|\bt[íi]tulo de eleitor\b|\bbiometria\b|\bse[çc][ãa]o eleitoral\b|\bvotar\b"
        r"|\bvotos? (impresso|em tr[âa]nsito|nulo|em branco)\b|\bjustificar\b|\be-t[íi]tulo\b"
        r"|\bmes[áa]rios?\b|\bapura[çc][ãa]o\b|\bcabine\b|\bboletim de urna\b|\bzona eleitoral\b", I),
    "id": re.compile(
        r"\b(tps|coblos|mencoblos|nyoblos|pencoblosan|surat suara|dpt|hak pilih|pemilih|e-?ktp|ktp"
        r"|kotak suara|daftar pemilih|tinta|pemungutan suara|penghitungan suara)\b", I),
    "hi": re.compile(r"वोट|मतदान|मतदाता|ईवीएम|\bEVM\b|बूथ|मतपत्र|चुनाव आयोग", I),
    "pa": re.compile(r"ਵੋਟ|ਮਤਦਾਨ|ਈਵੀਐਮ|\bEVM\b|ਬੂਥ", I),
    "ta": re.compile(r"வாக்கு|வாக்காளர்|ஓட்டு|\bEVM\b", I),
    "te": re.compile(r"ఓటు|ఓటర్|ఓటింగ్|పోలింగ్|\bEVM\b|ఈవీఎం", I),
    "bn": re.compile(r"ভোট|ইভিএম|\bEVM\b|বুথ", I),
}
FALSE_VERDICTS = {"false", "pants-fire", "mostly-false", "barely-true", "false (debunked by tse fato ou boato)",
                  "salah", "disinformasi", "hoax", "hoaks", "fitnah", "hasut", "misinformasi",
                  "disinformation (euvsdisinfo case)"}


def main() -> None:
    seen: set[str] = set()
    cands, negs = [], defaultdict(list)
    for src in SOURCES:
        path = DIR / f"{src}.jsonl"
        if not path.exists():
            print(f"skip {src}: {path} missing")
            continue
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            key = " ".join(row["text"].lower().split())
            if key in seen:
                continue
            seen.add(key)
            pat = PROCEDURAL.get(row["language"])
            hits = sorted({m.group(0).lower() for m in pat.finditer(row["text"])}) if pat else []
            if hits:
                cands.append(dict(row, role="procedural_keyword_match", matched_terms=hits, procedural=None))
            elif row.get("election_related") is True:
                negs[(src, row["language"])].append(dict(row, role="nonprocedural_negative_candidate",
                                                         matched_terms=[], procedural=None))
    for group in sorted(negs):
        pool = sorted(negs[group], key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
        cands.extend(pool[:NEG_PER_GROUP])
    with (DIR / "voting_claims_candidates.jsonl").open("w", encoding="utf-8") as fh:
        for r in cands:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    narratives = [r for r in cands if r["role"] == "procedural_keyword_match" and r.get("factcheck_url")
                  and (r.get("verdict") or "").lower() in FALSE_VERDICTS]
    with (DIR / "false_voting_narratives.jsonl").open("w", encoding="utf-8") as fh:
        for r in narratives:
            fh.write(json.dumps({k: r[k] for k in ("id", "text", "language", "verdict", "factcheck_url",
                                                   "source", "licence", "matched_terms")},
                                ensure_ascii=False) + "\n")
    c = Counter((r["role"], r["language"]) for r in cands)
    v = Counter((r["language"], r.get("verdict")) for r in cands if r["role"] == "procedural_keyword_match")
    print(json.dumps({"candidates": len(cands), "by_role_language": {f"{a}|{b}": n for (a, b), n in sorted(c.items())},
                      "procedural_matches_by_language_verdict": {f"{a}|{b}": n for (a, b), n in sorted(v.items(), key=str)},
                      "false_narratives": len(narratives),
                      "false_narratives_by_language": dict(Counter(r["language"] for r in narratives))},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
