"""Campaign-fundraising solicitation in posts: the words that ask for money and the links that take it.

Governments, politicians and parties may not raise campaign funds on the platform. A post solicits
when it asks for a contribution to a campaign, party or race, or links to a campaign-donation
processor or a donation page. Either alone is evidence; together they are strong evidence. Mentions
of fundraising in reporting ("the senator raised $2M") do not ask anyone for anything and score low.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar, Iterable
from urllib.parse import urlsplit

from civicshield.core.verdict import Signal

if TYPE_CHECKING:
    from civicshield.core.assess import Context
    from civicshield.core.events import Payload

# Hosts that exist to take political or campaign donations.
DONATION_HOSTS = ("actblue.com", "winred.com", "anedot.com", "ngpvan.com", "donorbox.org", "crowdpac.com",
                  "efundraising.com", "democracyengine.com", "campaignpartner.com", "givebutter.com")
_DONATE_PATH = re.compile(r"/(donate|donation|donations|contribute|chip-?in|give|fundraise|spenden|donar|faire-un-don)\b",
                          re.I)
_ASK = re.compile(
    r"\b(donate|contribute|chip in|pitch in|give)\b[^.!?\n]{0,60}\b(campaign|party|race|re-?election|"
    r"our fight|our movement|fundraising goal|deadline|today|now|\$\s?\d+)"
    r"|\b(help us|help me)\b[^.!?\n]{0,40}\b(raise|reach|hit)\b[^.!?\n]{0,40}\b(goal|\$\s?\d+|fund)"
    r"|\b(fundraising|fec) deadline\b"
    r"|\bspenden sie\b|\bdona (ahora|hoy|a nuestra campaña)\b|\bfaites un don\b",
    re.I)
_URL = re.compile(r"https?://[^\s<>\"')]+", re.I)


def _host_is_processor(host: str) -> bool:
    host = host.lower()
    return any(host == h or host.endswith("." + h) for h in DONATION_HOSTS)


def donation_links(urls: Iterable[str]) -> list[str]:
    out = []
    for url in urls:
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            continue
        if _host_is_processor(parts.hostname or "") or _DONATE_PATH.search(parts.path):
            out.append(url)
    return out


def solicitation(text: str, urls: Iterable[str] = ()) -> tuple[float, dict[str, list[str]]]:
    """A score (0–1) and the phrases and links that make a text a fundraising ask."""
    phrases = [m.group(0) for m in _ASK.finditer(text or "")][:5]
    links = donation_links([*urls, *_URL.findall(text or "")])
    score = 0.6 if phrases else 0.0
    if links:
        processor = any(_host_is_processor(urlsplit(u).hostname or "") for u in links)
        score += 0.8 if processor else 0.6
    return min(score, 1.0), {"phrases": phrases, "links": sorted(set(links))}


class CampaignFundraisingDetector:
    """Signals `campaign_fundraising` with the asking phrases and donation links as evidence."""

    name: ClassVar[str] = "campaign_fundraising"
    cost: ClassVar[int] = 2
    applies_to: ClassVar[frozenset[str]] = frozenset({"content", "ad"})
    gate: ClassVar[str | None] = None

    def detect(self, subject: "Payload", context: "Context", signals: dict[str, Signal]) -> Iterable[Signal]:
        urls = list(getattr(subject, "urls", []) or [])
        if getattr(subject, "landing_url", None):
            urls.append(subject.landing_url)
        score, evidence = solicitation(subject.analysed_text, urls)
        return [Signal(self.name, round(score, 2), evidence, self.name)] if score else []
