"""Signed checkpoints of the decision log's head, kept where the database cannot rewrite them.

The hash chain shows that no row inside the log was changed, but not that the log is whole: deleting
its last rows, or editing a row and recomputing every hash after it, leaves a chain that verifies. So
after every commit that appends decisions the head (last seq, its hash, and the hash of row 1) is
signed with an Ed25519 key the database does not hold, and the latest signed head is written to a file
outside the database (`$CIVICSHIELD_HOME/audit/head-<log>.json`, with every checkpoint appended to
`checkpoints-<log>.jsonl`) and published at `GET /api/v1/audit/head` for outside witnesses to copy.
`civicshield audit verify` then requires the log to reach the checkpoint with the same hashes.

The key: `CIVICSHIELD_AUDIT_KEY` (base64 of a 32-byte Ed25519 seed), else the PEM file named by
`CIVICSHIELD_AUDIT_KEY_FILE`, else `<audit dir>/signing-key.pem`, created (mode 0600) on first use.
`CIVICSHIELD_AUDIT_DIR` moves the audit directory. Back up the key and the directory apart from the
database: whoever can rewrite both can rewrite history.
"""

from __future__ import annotations

import base64
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

log = logging.getLogger(__name__)
ALGORITHM = "Ed25519"


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: log `log` had `seq` rows, the last hashed `hash`, the first `first_hash`."""

    log: str
    seq: int
    hash: str
    first_hash: str
    signed_at: str
    key_id: str
    signature: str = ""

    def message(self) -> bytes:
        fields = {"log": self.log, "seq": self.seq, "hash": self.hash, "first_hash": self.first_hash,
                  "signed_at": self.signed_at, "key_id": self.key_id}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def audit_dir() -> Path:
    from django.conf import settings

    return Path(os.environ.get("CIVICSHIELD_AUDIT_DIR") or Path(settings.HOME) / "audit")


def log_name() -> str:
    """Which database's log this is: engine, host, port and name (never credentials)."""
    from django.db import connection

    s = connection.settings_dict
    where = f"{connection.vendor}:{s.get('HOST') or ''}:{s.get('PORT') or ''}/{s.get('NAME')}"
    return hashlib.sha256(where.encode()).hexdigest()[:16]


def head_path() -> Path:
    return audit_dir() / f"head-{log_name()}.json"


def _key_file() -> Path:
    return Path(os.environ.get("CIVICSHIELD_AUDIT_KEY_FILE") or audit_dir() / "signing-key.pem")


def signing_key(create: bool = False) -> Ed25519PrivateKey | None:
    """The checkpoint key from the environment or its file; created when `create` and none exists."""
    seed = os.environ.get("CIVICSHIELD_AUDIT_KEY")
    if seed:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(seed))
    path = _key_file()
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 private key")
        return key
    if not create:
        return None
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    return hashlib.sha256(bytes.fromhex(public_key_hex(key))).hexdigest()[:16]


def latest() -> Checkpoint | None:
    path = head_path()
    try:
        return Checkpoint(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path} is not a checkpoint file: {exc}") from None


def record(seq: int, head_hash: str, first_hash: str, *, restart: bool = False) -> Checkpoint | None:
    """Sign and keep the head, unless a checkpoint at or past `seq` is already kept (writers race).

    `restart` replaces a checkpoint the log no longer reaches; only `audit checkpoint --restart`,
    run by an operator who knows why, does that.
    """
    key = signing_key(create=True)
    assert key is not None
    directory = audit_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = head_path()
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = latest()
        if current is not None and current.seq >= seq and not restart:
            return None
        unsigned = Checkpoint(log=log_name(), seq=seq, hash=head_hash, first_hash=first_hash,
                              signed_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                              key_id=key_id(key))
        checkpoint = Checkpoint(**{**unsigned.as_dict(), "signature": key.sign(unsigned.message()).hex()})
        line = json.dumps({**checkpoint.as_dict(), **({"restarted_after": current.as_dict()} if restart and current
                                                         else {})})
        with open(directory / f"checkpoints-{log_name()}.jsonl", "a", encoding="utf-8") as history:
            history.write(line + "\n")
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(checkpoint.as_dict(), fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    return checkpoint


def checkpoint_after_commit(seq: int, head_hash: str) -> None:
    """Once the transaction appending up to `seq` commits, sign that head. Never fails the append."""
    from django.db import transaction

    def sign() -> None:
        try:
            record(seq, head_hash, first_hash())
        except Exception:  # noqa: BLE001 - a full disk must not stop decisions; verify will say it is behind
            log.exception("could not write the signed checkpoint of decision #%s", seq)

    transaction.on_commit(sign)


def first_hash() -> str:
    from .models import Decision

    return Decision.objects.filter(seq=1).values_list("hash", flat=True).first() or ""


def verify_signature(checkpoint: Checkpoint, key: Ed25519PrivateKey | Ed25519PublicKey) -> bool:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    try:
        public.verify(bytes.fromhex(checkpoint.signature), checkpoint.message())
    except (InvalidSignature, ValueError):
        return False
    return checkpoint.key_id == key_id(public)


def compare(checkpoint: Checkpoint, key: Ed25519PrivateKey | None, last_seq: int, hash_at_seq: str | None,
            log_first_hash: str) -> list[str]:
    """What is wrong with the log measured against the signed checkpoint (empty: it reaches it intact)."""
    when = checkpoint.signed_at
    if key is None:
        return [f"the checkpoint key is missing ({_key_file()} or CIVICSHIELD_AUDIT_KEY), so the signed head "
                "of the log cannot be checked"]
    if not verify_signature(checkpoint, key):
        return [f"the checkpoint file {head_path()} is not signed by this installation's key (forged or altered)"]
    if last_seq < checkpoint.seq:
        missing = f"#{last_seq + 1}–#{checkpoint.seq}" if last_seq + 1 < checkpoint.seq else f"#{checkpoint.seq}"
        return [f"truncated: the log ends at #{last_seq} but the checkpoint signed {when} records "
                f"#{checkpoint.seq}; decisions {missing} were removed"]
    problems = []
    if checkpoint.first_hash and log_first_hash != checkpoint.first_hash:
        problems.append(f"re-chained: decision #1's hash differs from the checkpoint signed {when}; the log was "
                        "rewritten from its start or replaced by another one")
    if hash_at_seq != checkpoint.hash:
        problems.append(f"re-chained: decision #{checkpoint.seq}'s hash differs from the checkpoint signed {when}; "
                        "rows up to it were edited and their hashes recomputed")
    return problems
