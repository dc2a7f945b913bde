"""The `monetization.requested` event: an account asks to receive gifts, tips or creator-fund money.

Governments, politicians and parties may not earn on the platform, so each request is assessed like
any other subject; the policy refuses it with `restrict_monetization`.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from civicshield.core.events import Identifier, Payload, Region

MonetizationKind = Literal["gift", "tip", "creator_fund", "subscription", "live_gift"]
EVENT_TYPE = "monetization.requested"


class MonetizationRequest(Payload):
    subject_type: ClassVar[str] = "monetization"
    id: Identifier
    account_id: Identifier
    kind: MonetizationKind
    amount: Annotated[float, Field(ge=0)] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    region: Region | None = None
