"""IPTC `DigitalSourceType` from an embedded XMP packet, for files that carry no Content Credentials.

Generators and editors often write only XMP (the IPTC Photo Metadata extension). The packet is found
by its markers in the first bytes of the file instead of by parsing every container format, and it is
parsed with defusedxml because it is untrusted input.
"""

from __future__ import annotations

import re
from typing import BinaryIO
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from PIL import Image, UnidentifiedImageError
from defusedxml.common import DefusedXmlException

IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_TAG = f"{{{IPTC_EXT}}}DigitalSourceType"
_PACKET = re.compile(rb"<x:xmpmeta[\s>].*?</x:xmpmeta>", re.DOTALL)
# XMP lives in the header segments of images; a generous window keeps large videos cheap to scan.
SCAN_BYTES = 4 * 1024 * 1024
MAX_PACKET_BYTES = 1024 * 1024


def read_xmp_source_types(stream: BinaryIO) -> list[str]:
    """Every `Iptc4xmpExt:DigitalSourceType` value in the file's XMP packets (empty when none)."""
    head = stream.read(SCAN_BYTES)
    packets = [m.group(0) for m in _PACKET.finditer(head)]
    if not packets:
        stream.seek(0)
        packets = _pillow_packets(stream)
    values: list[str] = []
    for packet in packets:
        if len(packet) > MAX_PACKET_BYTES:
            continue
        values.extend(v for v in _source_types(packet) if v not in values)
    return values


def _pillow_packets(stream: BinaryIO) -> list[bytes]:
    """XMP that Pillow decodes from compressed containers (zTXt/iTXt in PNG, WebP chunks)."""
    try:
        with Image.open(stream) as image:
            packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return []
    if isinstance(packet, str):
        packet = packet.encode("utf-8", "replace")
    return [packet] if isinstance(packet, bytes) else []


def _source_types(packet: bytes) -> list[str]:
    try:
        root = ElementTree.fromstring(packet)
    except (ElementTree.ParseError, DefusedXmlException, ValueError, LookupError):
        return []
    found: list[str] = []
    for element in root.iter():
        attribute = element.get(_TAG)
        if attribute:
            found.append(attribute.strip())
        if element.tag == _TAG:
            found.extend(_element_values(element))
    return found


def _element_values(element: Element) -> list[str]:
    resource = element.get(f"{{{RDF}}}resource")
    if resource:
        return [resource.strip()]
    text = (element.text or "").strip()
    return [text] if text else []
