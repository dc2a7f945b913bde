"""The password rule Django's validators miss: a common word or the platform's own vocabulary with
digits and symbols around it (`Election2026`, `Civicshield!`) is as guessable as the word alone."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

PLATFORM_WORDS = frozenset({
    "civicshield", "civic", "shield", "election", "elections", "vote", "voter", "voting", "ballot", "ballots",
    "democracy", "campaign", "admin", "administrator", "reviewer", "factchecker", "analyst", "testuser", "test",
    "user", "login", "welcome", "password", "changeme",
})


class GuessableWordValidator:
    """Refuses a password whose letters alone are a common password or a word of the platform's domain."""

    def __init__(self) -> None:
        self._common = CommonPasswordValidator().passwords

    def validate(self, password: str, user: Any = None) -> None:
        letters = re.sub(r"[\W\d_]+", "", password.casefold())
        if not letters or letters in PLATFORM_WORDS or letters in self._common:
            raise ValidationError("This password is a common or platform word with digits or symbols added; "
                                  "use a longer passphrase of unrelated words.", code="password_guessable")

    def get_help_text(self) -> str:
        return "Your password can't be a common or platform word (such as 'election') with digits or symbols added."
