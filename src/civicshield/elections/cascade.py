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
    # The rest of voting's vocabulary, concept by concept (the booth, the ballot paper and its marks, the
    # count, the run-off, the electoral authority, postal voting), in each covered language: false
    # claims about procedure often name these and never "election" or "vote".
    "booth", "polling", "turnout", "runoff", "run-off", "voter", "electorate", "mail-in", "postal vote",
    "second round", "ballot box", "vote count",
    "casilla", "mesa electoral", "boleta", "sufrag", "segunda vuelta", "padron", "ine ", "jurado de votacion",
    "votacao", "votar", "voto", "urnas", "cedula", "segundo turno", "mesario", "seccao eleitoral", "zona eleitoral",
    "isoloir", "bureau de vote", "bulletin de vote", "bulletins de vote", "second tour", "procuration", "urne",
    "wahllokal", "wahlkabine", "wahlbenachrichtigung", "zweitstimme", "erststimme", "stichwahl",
    "seggi", "cabina elettorale", "scrutatori", "schede elettorali", "turno di ballottaggio",
    "lokal wyborczy", "komisj", "kart do glosowania", "karta do glosowania", "druga tura", "pkw", "urna",
    "oy pusula", "oy ver", "oylar", "oyumu", "oyunu", "oyunuzu", "muhur", "ysk", "sandiga", "sandikta", "ikinci tur",
    "secmen", "nyoblos", "mencoblos", "dicoblos", "tercoblos", "tps ", "surat suara", "bilik suara", "pencoblosan",
    "pemungutan suara", "putaran kedua", "bawaslu", "sirekap", "hak pilih", "pemilih",
    "mengundi", "peti undi", "kertas undi", "spr ", "balota", "presinto", "bilang ng boto", "bumoto",
    "kura ya", "kituo cha kupigia", "iebc", "nec ", "inec", "bvas",
    "stembus", "stemlokaal", "stembiljet", "stemmen", "kiesraad",
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
    # The same concepts in scripts without word starts: ballot, booth, polling station, count, voter
    # list, electoral authority, ink, EVM.
    "صندوق الاقتراع", "ورقة الاقتراع", "مركز الاقتراع", "لجنة الانتخاب", "الناخب", "التصويت", "المفوضية",
    "ووٹر", "پولنگ", "بیلٹ", "الیکشن کمیشن", "קלפי", "פתק הצבעה", "ועדת הבחירות",
    "मतपत्र", "बूथ", "ईवीएम", "evm", "वीवीपैट", "मतगणना", "चुनाव आयोग", "पोलिंग", "मतदाता सूची", "स्याही",
    "ব্যালট", "ভোটকেন্দ্র", "ইভিএম", "নির্বাচন কমিশন", "ভোটার",
    "投票所", "投票用紙", "開票", "期日前", "不在者", "選管", "投票箱", "得票",
    "투표소", "투표용지", "개표", "사전투표", "선관위", "유권자",
    "投票站", "選票", "票箱", "開票", "選委會", "中選會", "选票", "投票站",
    "виборч", "бюлетен", "дільниц", "цвк", "избират", "бюллетен", "избирательный участок",
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
