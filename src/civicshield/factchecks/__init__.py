"""Fact-checks: the claims store, ClaimReview in and out, claim matching, the partner portal and the
retroactive sweep that carries a new or revised verdict to every stored copy of the claim."""
