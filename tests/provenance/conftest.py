"""Real Content Credentials made at test time: a throwaway root CA, a leaf signer, and images signed
with c2pa-python. Nothing private is stored in the repository."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import c2pa
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageDraw, PngImagePlugin

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@dataclass(frozen=True)
class Pki:
    root_pem: str
    chain_pem: str
    key_pem: str


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CivicShield Test")])


def _usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def make_pki(root_name: str = "Test Root CA") -> Pki:
    now = dt.datetime.now(dt.timezone.utc)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (x509.CertificateBuilder().subject_name(_name(root_name)).issuer_name(_name(root_name))
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(sign=False, ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(_name("Test Signer")).issuer_name(root.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(sign=True, ca=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                           critical=False)
            .sign(root_key, hashes.SHA256()))
    pem = lambda cert: cert.public_bytes(serialization.Encoding.PEM).decode()  # noqa: E731
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return Pki(pem(root), pem(leaf) + pem(root), key_pem)


@pytest.fixture(scope="session")
def pki() -> Pki:
    return make_pki()


def picture(seed: int = 1, size: int = 160, fmt: str = "JPEG", **save: object) -> bytes:
    """A small image with enough structure for a high-quality PDQ hash."""
    image = Image.new("RGB", (size, size), (240, 240, 235))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x = (seed * 37 + i * 53) % (size - 30)
        y = (seed * 91 + i * 29) % (size - 30)
        draw.rectangle([x, y, x + 25 + i, y + 18], fill=((seed * 40 + i * 20) % 255, (i * 70) % 255, 120))
        draw.ellipse([y, x, y + 20, x + 30], fill=(20, (seed * 13 + i * 30) % 255, 200))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def sign_image(pki: Pki, source_type: str | None, data: bytes | None = None, *,
               remote_url: str | None = None) -> bytes:
    """`data` (default: a fresh picture) signed with a manifest whose created action declares `source_type`."""
    action: dict = {"action": "c2pa.created"}
    if source_type is not None:
        action["digitalSourceType"] = source_type
    manifest = {"claim_generator_info": [{"name": "test-generator", "version": "1"}], "title": "image.jpg",
                "assertions": [{"label": "c2pa.actions", "data": {"actions": [action]}}]}
    context = c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}},
                                      "verify": {"verify_after_sign": False}})
    info = c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, pki.chain_pem.encode(), pki.key_pem.encode(), None)
    with c2pa.Signer.from_info(info) as signer, c2pa.Builder(manifest, context=context) as builder:
        if remote_url:
            builder.set_no_embed()
            builder.set_remote_url(remote_url)
        out = io.BytesIO()
        builder.sign(signer, "image/jpeg", io.BytesIO(data or picture()), out)
        return out.getvalue()


def tamper(signed: bytes) -> bytes:
    """Change image bytes after signing (the end of the JPEG scan data), leaving the manifest intact."""
    changed = bytearray(signed)
    changed[-40] ^= 0xFF
    return bytes(changed)


def xmp_image(source_type: str, fmt: str = "JPEG", declaration: str = "") -> bytes:
    packet = (declaration + '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              '<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
              f'<Iptc4xmpExt:DigitalSourceType rdf:resource="{source_type}"/>'
              '</rdf:Description></rdf:RDF></x:xmpmeta>').encode()
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", packet.decode(), zip=True)
        return picture(seed=7, fmt=fmt, pnginfo=info)
    return picture(seed=7, fmt=fmt, xmp=packet)
