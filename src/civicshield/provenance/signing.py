"""Attach Content Credentials that record the platform's label, for downloads the platform re-encodes.

Re-encoding strips the creator's manifest, and with it the reason for an "AI-generated" label. Signing
the outgoing file with the platform's own certificate puts the label back in a form any C2PA reader
checks. The incoming file becomes the parent ingredient, so its own manifest (if any) is kept in the
store, and the label lives in an `org.civicshield.label` assertion.
"""

from __future__ import annotations

import io
import mimetypes
from pathlib import Path
from typing import Sequence

import c2pa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from civicshield.core.errors import ProvenanceError

LABEL_ASSERTION = "org.civicshield.label"
AI_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
AI_LABELS = frozenset({"ai_generated", "ai_generated_self_disclosed"})


def signing_algorithm(key_pem: bytes) -> c2pa.C2paSigningAlg:
    """The C2PA algorithm that matches the private key (EC P-256/384/521, Ed25519 or RSA-PSS)."""
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ProvenanceError(f"the signing key is not an unencrypted PEM private key: {exc}") from None
    if isinstance(key, ec.EllipticCurvePrivateKey):
        by_curve = {"secp256r1": c2pa.C2paSigningAlg.ES256, "secp384r1": c2pa.C2paSigningAlg.ES384,
                    "secp521r1": c2pa.C2paSigningAlg.ES512}
        if key.curve.name in by_curve:
            return by_curve[key.curve.name]
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return c2pa.C2paSigningAlg.ED25519
    if isinstance(key, rsa.RSAPrivateKey):
        return c2pa.C2paSigningAlg.PS256
    raise ProvenanceError("unsupported signing key type; use EC P-256/384/521, Ed25519 or RSA")


def label_manifest(labels: Sequence[str], policy_version: str = "", title: str = "") -> dict:
    data: dict = {"labels": list(labels), "issuer": "CivicShield"}
    if policy_version:
        data["policy_version"] = policy_version
    if AI_LABELS & set(labels):
        data["digitalSourceType"] = AI_SOURCE_TYPE
    return {"claim_generator_info": [{"name": "CivicShield", "version": "1"}], "title": title,
            "assertions": [{"label": LABEL_ASSERTION, "data": data}]}


def sign_media(data: bytes, mime: str, labels: Sequence[str], cert_chain_pem: bytes, key_pem: bytes, *,
               policy_version: str = "", title: str = "") -> bytes:
    """Return `data` signed with a manifest recording `labels`; the original becomes the parent."""
    alg = signing_algorithm(key_pem)
    try:
        info = c2pa.C2paSignerInfo(alg, cert_chain_pem, key_pem, None)
        context = c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}},
                                          "verify": {"remote_manifest_fetch": False}})
        with c2pa.Signer.from_info(info) as signer, \
                c2pa.Builder(label_manifest(labels, policy_version, title), context=context) as builder:
            # Edit intent: the SDK records the incoming asset as the parent and opens it.
            builder.set_intent(c2pa.C2paBuilderIntent.EDIT)
            out = io.BytesIO()
            builder.sign(signer, mime, io.BytesIO(data), out)
            return out.getvalue()
    except c2pa.C2paError as exc:
        raise ProvenanceError(f"could not sign the media: {exc}") from None


def sign_file(source: Path, dest: Path, labels: Sequence[str], cert: Path, key: Path, *,
              policy_version: str = "") -> None:
    """`civicshield provenance sign`: read, sign, write; errors name the file at fault."""
    mime = mimetypes.guess_type(source.name)[0]
    if not mime:
        raise ProvenanceError(f"{source}: cannot tell the media type from the file name")
    for path in (source, cert, key):
        if not path.is_file():
            raise ProvenanceError(f"{path}: no such file")
    signed = sign_media(source.read_bytes(), mime, labels, cert.read_bytes(), key.read_bytes(),
                        policy_version=policy_version, title=source.name)
    dest.write_bytes(signed)
