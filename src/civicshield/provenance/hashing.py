"""PDQ perceptual hashes of images and of sampled video frames.

PDQ is the hash ThreatExchange and Hasher-Matcher-Actioner exchange, so a bank built here can be
shared with other platforms. Hashes are 64 hex digits (256 bits, most significant bit first, the same
text ThreatExchange writes) with a quality from 0 to 100; a hash of quality below 50 comes from a
nearly flat image and is not used for matching. Video frames are sampled once a second (the first
two minutes) and decoded with PyAV, or OpenCV where PyAV is absent; without a decoder a video is
reported as unhashable rather than guessed at.

Decoding runs within a memory budget: PDQ summarises an image in 64×64 blocks, so images are hashed at
most `HASH_SIDE` pixels on their longer side. A JPEG is decoded already scaled down (libjpeg's DCT
scaling through Pillow's `draft`), other formats are decoded once and reduced before conversion;
images above `MAX_PIXELS` are refused before any pixel is decoded. Hashing the full 8000×8000 pixels
peaked at about 2 GB; see docs/benchmarks.md for the figures now.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import pdqhash
from PIL import Image, UnidentifiedImageError

from civicshield.core.errors import ProvenanceError

from .bank import HEX_HASH, MIN_QUALITY

MAX_PIXELS = 64_000_000
HASH_SIDE = 1024


@dataclass(frozen=True, slots=True)
class PdqHash:
    hex: str
    quality: int

    @property
    def usable(self) -> bool:
        return self.quality >= MIN_QUALITY


def bits_to_hex(bits: np.ndarray) -> str:
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def hex_to_bytes(value: str) -> bytes:
    if not HEX_HASH.match(value or ""):
        raise ProvenanceError(f"not a PDQ hash (64 hex digits expected): {value[:80]!r}")
    return bytes.fromhex(value)


def hamming(a: str, b: str) -> int:
    return int.bit_count(int(a, 16) ^ int(b, 16))


def pdq_of_array(rgb: np.ndarray) -> PdqHash:
    bits, quality = pdqhash.compute(np.ascontiguousarray(rgb, dtype=np.uint8))
    return PdqHash(bits_to_hex(bits), int(quality))


def pdq_image(data: bytes) -> PdqHash:
    """PDQ of an encoded image (JPEG, PNG, WebP, GIF's first frame, …); raises ProvenanceError if unreadable."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            check_pixels(image.width, image.height)
            rgb = np.asarray(_scaled_for_hash(image).convert("RGB"))
    except ProvenanceError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ProvenanceError(f"cannot decode the image: {exc}") from None
    if rgb.ndim != 3 or min(rgb.shape[:2]) < 1:
        raise ProvenanceError("cannot decode the image: no pixels")
    return pdq_of_array(rgb)


def check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise ProvenanceError(f"image is {width}×{height} pixels ({width * height / 1e6:.1f} M); the limit is "
                              f"{MAX_PIXELS / 1e6:.0f} M pixels: send a smaller rendition")


def _scaled_for_hash(image: Image.Image) -> Image.Image:
    """The image decoded at most HASH_SIDE pixels on its longer side (JPEG: scaled while decoding)."""
    if max(image.size) <= HASH_SIDE:
        image.load()
        return image
    try:
        image.thumbnail((HASH_SIDE, HASH_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    except ValueError:  # modes Pillow cannot resample (16-bit integer, …): convert first
        image = image.convert("RGB")
        image.thumbnail((HASH_SIDE, HASH_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return image


def video_decoder() -> str | None:
    """The installed video decoder used for frame sampling, if any."""
    for module in ("av", "cv2"):
        try:
            __import__(module)
            return module
        except ImportError:
            continue
    return None


def pdq_video(path: str, every_seconds: float = 1.0, max_frames: int = 120) -> list[PdqHash]:
    """PDQ hashes of frames sampled every `every_seconds`, for files a decoder can open."""
    decoder = video_decoder()
    if decoder is None:
        raise ProvenanceError("no video decoder installed (install PyAV or OpenCV to hash video frames)")
    frames = _frames_av(path, every_seconds) if decoder == "av" else _frames_cv2(path, every_seconds)
    hashes: list[PdqHash] = []
    try:
        for rgb in frames:
            hashes.append(pdq_of_array(rgb))
            if len(hashes) >= max_frames:
                break
    except Exception as exc:  # decoders raise their own error types on corrupt streams
        raise ProvenanceError(f"cannot decode the video: {exc}") from None
    return hashes


def _frames_av(path: str, every: float) -> Iterator[np.ndarray]:
    import av

    with av.open(path) as container:
        next_at = 0.0
        for frame in container.decode(video=0):
            if frame.time is None or frame.time >= next_at:
                next_at = (frame.time or 0.0) + every
                yield frame.to_ndarray(format="rgb24")


def _frames_cv2(path: str, every: float) -> Iterator[np.ndarray]:
    import cv2

    capture = cv2.VideoCapture(path)
    try:
        fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
        step = max(1, int(round(fps * every)))
        index = 0
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            if index % step == 0:
                yield cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            index += 1
    finally:
        capture.release()
