"""The cheap first stage in front of the election detectors' encoder: could this text be about an election?

Most posts on a platform are not about elections, and encoding a text costs milliseconds. A text that
contains none of these word stems, in any of the covered languages, cannot be flagged by any later
stage, so it is never encoded: its election relevance is the lexicon's score (zero or near it). The
stems are deliberately broad ("vot", "elect", "wahl", "pemilu", "चुनाव"): a false opening costs one
encoding, a false closing loses a detection, and the learned head decides what passes.

How often the gate stays closed on real election text is measured on the training data and reported
in docs/benchmarks.md (gate recall).
"""

from __future__ import annotations

import re

from .relevance import fold

# Stems on folded (lower-cased, accent-stripped) text. Latin-script stems match at a word start;
# scripts without spaces or with rich affixes match anywhere.
_WORD_START = (
    # English and Romance
    "vot", "elect", "ballot", "poll", "candidat", "campaign", "primar", "caucus", "referend", "plebiscit",
    "precinct", "absentee", "register", "registration", "recount", "senat", "congress", "governor", "mayor",
    "parliament", "president", "democrat", "republican", "midterm", "inaugurat", "electoral",
    "eleccion", "elecciones", "elegir", "urna", "papeleta", "sufragi", "escrutinio", "comicio", "candidata",
    "eleic", "eleitor", "eleitoral", "titulo", "scrutin", "suffrage", "legislativ", "municipal",
    "presidentiel", "elezion", "seggio", "scheda", "ballottaggio", "alegeri",
    # Germanic, Nordic
    "wahl", "wahlen", "wahll", "stimmzettel", "briefwahl", "abstimm", "kandidat", "bundestag", "landtag",
    "verkiezing", "stembureau", "stemm", "rost", "vallokal", "valg", "stemme", "vaali", "aanest",
    # Slavic, Baltic, Hungarian, Greek, Turkish
    "wybor", "glosow", "kandydat", "sejm", "volb", "volit", "hlasov", "izbor", "glasa", "избор", "голос",
    "выбор", "вибор", "голосув", "кандидат", "valaszt", "szavaz", "εκλογ", "ψηφ", "secim", "sandik",
    "rinkim", "balsav", "velen",
    # Indonesian, Malay, Filipino, Swahili
    "pemilu", "pilkada", "pilpres", "pemilihan", "coblos", "kpu", "caleg", "capres", "pilihanraya", "pengundi",
    "halalan", "botohan", "comelec", "kandidato", "uchaguzi",
)
# Short words that would open the gate on everyday words if matched as stems.
_WHOLE_WORD = ("val", "valet", "valg", "oy", "aday", "tse", "kpu", "gop", "undi", "boto", "kura", "stem")
_ANYWHERE = (
    # Arabic, Persian, Urdu, Hebrew
    "انتخاب", "اقتراع", "صوت", "مرشح", "ووٹ", "الیکشن", "رای", "بحير", "בחירות", "הצבע", "קלפי",
    # Devanagari, Bengali, Tamil, Telugu, Gujarati, Punjabi
    "चुनाव", "मतदान", "वोट", "मतदाता", "निर्वाचन", "उम्मीदवार", "নির্বাচন", "ভোট", "தேர்தல்", "வாக்கு",
    "ఎన్నిక", "ఓటు", "ચૂંટણી", "મત", "ਚੋਣ", "ਵੋਟ",
    # Chinese, Japanese, Korean, Thai, Vietnamese
    "选举", "選舉", "投票", "候选", "候選", "選挙", "立候補", "선거", "투표", "후보", "เลือกตั้ง", "ลงคะแนน",
    "bau cu", "bo phieu", "cu tri",
)
_GATE = re.compile(
    r"(?<!\w)(?:" + "|".join(sorted({re.escape(fold(s)) for s in _WORD_START}, key=len, reverse=True)) + r")"
    + r"|(?<!\w)(?:" + "|".join(sorted({re.escape(fold(s)) for s in _WHOLE_WORD}, key=len, reverse=True)) + r")(?!\w)"
    + r"|" + "|".join(sorted({re.escape(fold(s)) for s in _ANYWHERE}, key=len, reverse=True))
)


def could_be_electoral(text: str, hashtags: tuple[str, ...] | list[str] = ()) -> bool:
    """True when some stage after this one could find the text election-related."""
    if _GATE.search(fold(text)):
        return True
    return any(_GATE.search(fold(tag.lstrip("#"))) for tag in hashtags)
