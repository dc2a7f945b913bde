"""Names of politician and party accounts, for the political-ad detector to match in ad text.

The shipped lexicon knows national parties; the platform knows its own politicians and parties by
account category. Their display names become run-time lexicon terms (resource `ads.political_names`),
rebuilt whenever the assessment context is (`civicshield.intake.context.reset()`).
"""

from __future__ import annotations

MAX_NAMES = 50_000
_CATEGORY_TERMS = {"politician": "office", "political_party": "party"}


def political_names() -> list[tuple[str, str]]:
    """(display name, lexicon category) of politician and party accounts; empty before migrations."""
    from django.db import DatabaseError

    from civicshield.intake.models import Account

    try:
        rows = list(Account.objects.filter(category__in=_CATEGORY_TERMS).exclude(display_name="")
                    .order_by("-followers").values_list("display_name", "category")[:MAX_NAMES])
    except DatabaseError:
        return []
    return [(name, _CATEGORY_TERMS[category]) for name, category in rows if len(name.strip()) >= 4]
