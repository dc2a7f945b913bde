"""The registry of verified official accounts as the pure core sees it, and its lookup.

The Django app loads verified accounts from the database into an `OfficialRegistry` and offers it to
the assessment context as `context.resources["verification.officials"]`. Anything pure (the ads
review, the impersonation detector, the rules through the `official_account` signal) asks the same
question the same way: `official_for(context.resources, account_id)`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from civicshield.core.verdict import Signal

if TYPE_CHECKING:
    from civicshield.core.assess import Context
    from civicshield.core.events import Payload

RESOURCE_KEY = "verification.officials"
# Categories that must be verified before they may act freely, and the label each one carries.
MANDATORY_CATEGORIES: tuple[str, ...] = ("government", "politician", "political_party")
CATEGORY_LABELS: dict[str, str] = {"government": "government_official", "politician": "politician",
                                   "political_party": "political_party", "state_media": "state_affiliated_media"}
VERIFIABLE_CATEGORIES: tuple[str, ...] = ("government", "politician", "political_party", "news_org", "state_media")


@dataclass(frozen=True, slots=True)
class Official:
    """One verified account as the public registry lists it."""

    account_id: str
    handle: str
    display_name: str
    category: str
    official_name: str = ""
    office: str = ""
    region: str = ""
    website: str = ""
    verified_at: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class OfficialRegistry(Mapping[str, Official]):
    """Verified officials by account id, plus (built on first use) their look-alike index."""

    def __init__(self, officials: Iterable[Official] = (), cleared: Iterable[tuple[str, str]] = ()) -> None:
        self._by_id = {o.account_id: o for o in officials}
        self.cleared: frozenset[tuple[str, str]] = frozenset(cleared)
        self._index: Any = None

    def __getitem__(self, account_id: str) -> Official:
        return self._by_id[account_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def items(self) -> Any:
        return self._by_id.items()

    def values(self) -> Any:
        return self._by_id.values()

    def get(self, account_id: str, default: Any = None) -> Any:
        return self._by_id.get(account_id, default)

    def lookalike_index(self) -> Any:
        """The impersonation index over every official's handle and names (built once, then updated)."""
        if self._index is None:
            from .impersonation import LookalikeIndex

            self._index = LookalikeIndex(self._by_id.values())
        return self._index

    def add(self, official: Official) -> None:
        """Add or replace one entry; the look-alike index follows without a rebuild."""
        self._by_id[official.account_id] = official
        if self._index is not None:
            self._index.add(official)

    def remove(self, account_id: str) -> None:
        self._by_id.pop(account_id, None)
        if self._index is not None:
            self._index.remove(account_id)


def official_for(resources: Mapping[str, Any], account_id: str | None) -> Official | None:
    """The verified official behind `account_id`, or None (also when no registry is provided)."""
    registry = resources.get(RESOURCE_KEY)
    if registry is None or not account_id:
        return None
    return registry.get(account_id)


def is_restricted_official(resources: Mapping[str, Any], category: str | None, account_id: str | None) -> bool:
    """True for a government, politician or party account, declared or verified as one."""
    official = official_for(resources, account_id)
    return category in MANDATORY_CATEGORIES or (official is not None and official.category in MANDATORY_CATEGORIES)


class OfficialAccountDetector:
    """Says when a subject belongs to a verified official: rules read `signals.official_account`."""

    name: ClassVar[str] = "official_account"
    cost: ClassVar[int] = 1
    applies_to: ClassVar[frozenset[str]] = frozenset({"account", "content", "ad", "monetization"})
    gate: ClassVar[str | None] = None

    def detect(self, subject: "Payload", context: "Context", signals: dict[str, Signal]) -> Iterable[Signal]:
        if subject.subject_type == "account":
            account_id = subject.id
        else:
            account_id = getattr(subject, "account_id", None) or getattr(subject, "advertiser_account_id", None)
        official = official_for(context.resources, account_id)
        if official is None:
            return []
        return [Signal(self.name, True, {"category": official.category, "label": CATEGORY_LABELS.get(
            official.category, ""), "official_name": official.official_name, "office": official.office,
            "verified_at": official.verified_at}, self.name)]
