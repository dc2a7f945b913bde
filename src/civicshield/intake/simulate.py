"""A deterministic, realistic election-season event stream for the demo, tests and benchmarks.

Ordinary users, creators, news organisations, officials, parties and state media in the US and EU
member states post in eight languages; some posts are about the election, a few spread false claims
about how, when or where to vote; advertisers submit ads, some political; people search and interact.
Same seed ⇒ same stream. Capabilities add their own phenomena with `register_phenomenon`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

US_STATES = ["US-CA", "US-TX", "US-FL", "US-NY", "US-PA", "US-GA", "US-AZ", "US-MI", "US-WI", "US-NC", "US-OH", "US-NV"]
EU = {"DE": "de", "FR": "fr", "ES": "es", "IT": "it", "PL": "pl", "NL": "nl", "PT": "pt", "IE": "en"}
CATEGORIES = [("regular", 0.80), ("creator", 0.08), ("news_org", 0.03), ("government", 0.02),
              ("politician", 0.04), ("political_party", 0.01), ("state_media", 0.02)]

CHATTER = {
    "en": ["Best tacos in town, no contest", "Morning run done, legs are jelly", "Who else is watching the game tonight?",
           "New recipe: lemon garlic pasta", "Traffic on the bridge is brutal again", "My cat knocked over my coffee"],
    "es": ["La mejor paella que he probado", "Qué calor hace hoy en la ciudad", "¿Alguien vio el partido anoche?"],
    "de": ["Heute gibt es Käsespätzle", "Der Zug hat wieder Verspätung", "Wer schaut heute das Spiel?"],
    "fr": ["Le meilleur croissant du quartier", "Quelle pluie aujourd'hui", "Qui regarde le match ce soir ?"],
    "it": ["La pizza migliore della città", "Che caldo oggi", "Chi guarda la partita stasera?"],
    "pl": ["Najlepsze pierogi w mieście", "Dzisiaj pada cały dzień", "Kto ogląda mecz wieczorem?"],
    "nl": ["De lekkerste stroopwafels van de markt", "Weer regen vandaag", "Wie kijkt er vanavond naar de wedstrijd?"],
    "pt": ["O melhor pastel de nata da cidade", "Que calor hoje", "Quem vai ver o jogo hoje à noite?"],
}
CIVIC = {
    "en": ["Don't forget to vote on election day! Check your polling place before you go",
           "I just mailed my absentee ballot, feels good", "Early voting starts next week, bring your ID if your state asks for it",
           "The candidate debate last night was a mess", "Make a plan to vote: register to vote before the deadline"],
    "es": ["No olvides votar en las elecciones, revisa tu colegio electoral", "Ya envié mi voto por correo"],
    "de": ["Briefwahl beantragt! Geht alle wählen", "Wo ist mein Wahllokal? Die Wahlbenachrichtigung ist da"],
    "fr": ["N'oubliez pas d'aller voter, vérifiez votre bureau de vote", "Procuration faite pour les élections"],
    "it": ["Ricordatevi di votare alle elezioni, controllate il vostro seggio"],
    "pl": ["Pamiętajcie o wyborach, sprawdźcie swój lokal wyborczy"],
    "nl": ["Vergeet niet te stemmen bij de verkiezingen, neem je stempas mee"],
    "pt": ["Não se esqueçam de votar nas eleições"],
}
PROCEDURAL_FALSE = {
    "en": ["BREAKING: because of crowds, voters can now vote by text message. Text your ballot choice to 45678 on election day",
           "Polling places will be closed on election day; the vote moved to Wednesday for everyone who registered online",
           "If you have an unpaid parking ticket you cannot vote at your polling place, they will arrest you"],
    "es": ["Ahora se puede votar por mensaje de texto, envía tu voto al 45678 el día de las elecciones"],
    "de": ["Achtung: Briefwahl-Stimmzettel mit Bleistift sind ungültig, die Wahl wurde auf Montag verschoben"],
    "fr": ["Les bureaux de vote seront fermés dimanche, le vote se fait désormais par SMS"],
}
ADS_COMMERCIAL = ["Summer sale: 40% off running shoes", "Learn Spanish in 10 minutes a day", "Fresh pizza delivered in 20 minutes",
                  "Vote for your favourite pizza topping and win a free pie", "Charity run this Saturday: every mile feeds a family"]
ADS_POLITICAL = ["Vote for Jane Miller for Senate on November 3", "Stop the tax hike: vote NO on Proposition 12",
                 "Wählen Sie am Sonntag die Zukunftspartei", "Votez pour le changement aux élections"]
SEARCHES = ["where do I vote", "polling place near me", "register to vote deadline", "pizza near me", "weather tomorrow",
            "wahllokal finden", "dónde votar", "bureau de vote", "football scores", "election results"]

Phenomenon = Callable[["Simulation", random.Random, dt.datetime, int], Iterator[dict[str, Any]]]
PHENOMENA: list[Phenomenon] = []


def register_phenomenon(fn: Phenomenon) -> Phenomenon:
    """Add a generator of extra events per simulated day (influence operations, deepfakes, …)."""
    PHENOMENA.append(fn)
    return fn


@dataclass
class Simulation:
    seed: int = 7
    days: int = 3
    start: dt.datetime = dt.datetime(2026, 10, 20, tzinfo=dt.timezone.utc)
    accounts_n: int = 600
    posts_per_day: int = 900
    accounts: list[dict[str, Any]] = field(default_factory=list)
    _counters: dict[str, int] = field(default_factory=dict)
    _namespace: str = ""

    def next_id(self, prefix: str) -> str:
        """Ids are numbered per phenomenon, so adding a phenomenon never renumbers another's events."""
        n = self._counters[self._namespace] = self._counters.get(self._namespace, 0) + 1
        return f"{prefix}-{self.seed}-{self._namespace + '-' if self._namespace else ''}{n:07d}"

    def events(self) -> Iterator[dict[str, Any]]:
        rng = random.Random(self.seed)
        yield from self._accounts(rng)
        for day in range(self.days):
            day_start = self.start + dt.timedelta(days=day)
            day_events = list(self._day(rng, day_start))
            for phenomenon in PHENOMENA:
                # Each phenomenon draws from its own generator and numbers its own ids.
                self._namespace = phenomenon.__name__
                own = random.Random(f"{self.seed}:{phenomenon.__module__}.{phenomenon.__qualname__}:{day}")
                day_events.extend(phenomenon(self, own, day_start, day))
                self._namespace = ""
            day_events.sort(key=lambda e: e["occurred_at"])
            yield from day_events

    def envelope(self, kind: str, key: str, payload: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
        return {"id": self.next_id("ev"), "type": kind, "occurred_at": at.isoformat().replace("+00:00", "Z"),
                key: payload}

    def _accounts(self, rng: random.Random) -> Iterator[dict[str, Any]]:
        names, weights = zip(*CATEGORIES)
        for i in range(self.accounts_n):
            category = rng.choices(names, weights)[0]
            region = rng.choice(US_STATES) if rng.random() < 0.55 else rng.choice(list(EU))
            verified = category in ("news_org", "government", "politician", "political_party") and rng.random() < 0.8
            account = {"id": f"acct-{i:05d}", "handle": f"{category[:4]}_{i:05d}",
                       "display_name": f"{category.replace('_', ' ').title()} {i}", "category": category,
                       "region": region, "verified": verified, "followers": int(rng.paretovariate(1.2) * 50),
                       "created_at": (self.start - dt.timedelta(days=rng.randint(30, 3000))).isoformat()}
            self.accounts.append(account)
            yield self.envelope("account.upserted", "account", account, self.start - dt.timedelta(hours=1))

    def _language(self, account: dict[str, Any]) -> str:
        return "en" if account["region"].startswith("US") else EU[account["region"]]

    def _day(self, rng: random.Random, day_start: dt.datetime) -> Iterator[dict[str, Any]]:
        posts = []
        for _ in range(self.posts_per_day):
            account = rng.choice(self.accounts)
            lang = self._language(account)
            roll = rng.random()
            if roll < 0.03 and lang in PROCEDURAL_FALSE:
                text = rng.choice(PROCEDURAL_FALSE[lang])
            elif roll < 0.25 or account["category"] in ("politician", "political_party", "government"):
                text = rng.choice(CIVIC[lang])
            else:
                text = rng.choice(CHATTER[lang])
            at = day_start + dt.timedelta(seconds=rng.randint(0, 86_399))
            content = {"id": self.next_id("post"), "account_id": account["id"],
                       "kind": rng.choices(["post", "video", "comment", "live"], [0.5, 0.3, 0.18, 0.02])[0],
                       "text": text, "language": lang, "region": account["region"],
                       "hashtags": ["#Election2026"] if rng.random() < 0.05 else [],
                       "views": int(rng.paretovariate(1.1) * 40 * (1 + account["followers"] / 500))}
            posts.append(content)
            yield self.envelope("content.created", "content", content, at)
            for _ in range(rng.randint(0, 3)):
                actor = rng.choice(self.accounts)
                when = at + dt.timedelta(minutes=rng.randint(1, 600))
                yield self.envelope("interaction", "interaction", {
                    "account_id": actor["id"], "action": rng.choice(["like", "like", "share", "comment"]),
                    "object_id": content["id"], "at": when.isoformat()}, when)
        for _ in range(self.posts_per_day // 20):
            advertiser = rng.choice(self.accounts)
            political = advertiser["category"] in ("politician", "political_party") or rng.random() < 0.15
            at = day_start + dt.timedelta(seconds=rng.randint(0, 86_399))
            yield self.envelope("ad.submitted", "ad", {
                "id": self.next_id("ad"), "advertiser_account_id": advertiser["id"],
                "text": rng.choice(ADS_POLITICAL if political else ADS_COMMERCIAL),
                "landing_url": "https://example.org/landing", "regions": [advertiser["region"]]}, at)
        for _ in range(self.posts_per_day // 4):
            account = rng.choice(self.accounts)
            at = day_start + dt.timedelta(seconds=rng.randint(0, 86_399))
            yield self.envelope("search.performed", "search", {
                "id": self.next_id("search"), "query": rng.choice(SEARCHES), "region": account["region"],
                "language": self._language(account), "account_id": account["id"]}, at)
        for post in rng.sample(posts, k=min(len(posts), self.posts_per_day // 100)):
            reporter = rng.choice(self.accounts)
            at = day_start + dt.timedelta(hours=23)
            yield self.envelope("report.filed", "report", {
                "subject": {"type": "content", "id": post["id"]}, "reporter_account_id": reporter["id"],
                "reason": rng.choice(["election_misinformation", "spam", "ai_generated", "impersonation"])}, at)
