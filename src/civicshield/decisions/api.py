"""The decision log's public witness: its latest signed head, for anyone to copy and compare later."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from . import checkpoints

PREFIX = "/audit/"
router = Router(tags=["audit"])


@router.get("head", summary="The latest signed checkpoint of the decision log (public)")
def head(request: HttpRequest) -> dict[str, Any]:
    """The last decision's seq and hash, the hash of decision #1, when it was signed, and an Ed25519
    signature over them. Keep copies: a later head whose log no longer contains this one (fewer rows,
    other hashes) shows that history was removed or rewritten. See docs/architecture.md."""
    checkpoint = checkpoints.latest()
    key = checkpoints.signing_key()
    if checkpoint is None or key is None:
        raise HttpError(404, "no signed checkpoint yet: the decision log is empty or has not been checkpointed")
    return {"checkpoint": checkpoint.as_dict(), "algorithm": checkpoints.ALGORITHM,
            "public_key": checkpoints.public_key_hex(key),
            "signed_message": checkpoint.message().decode()}
