"""Large images are hashed within a memory budget, and images too large to decode are refused up front."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import textwrap
import zlib

import pytest
from PIL import Image

from civicshield.provenance.hashing import HASH_SIDE, hamming, pdq_image

from .test_media_api import media_root, upload  # noqa: F401 - fixture

MEASURE = textwrap.dedent("""
    import os, resource, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicshield.site.settings")
    import django
    django.setup()
    from civicshield.provenance.uploads import analyse
    data = open(sys.argv[1], "rb").read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = analyse(data, "image", "big")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print((after - before) // 1024, found["pdq_quality"], found["provenance"].get("pdq_error"))
""")


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header declares `width`×`height` pixels (a decompression bomb's shape)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = data[12:29]  # chunk type + 13 bytes of header
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_an_8000_pixel_square_image_is_hashed_within_the_memory_budget(tmp_path, fmt):
    path = tmp_path / f"big.{fmt.lower()}"
    subprocess.run([sys.executable, "-c", "import sys; from PIL import Image; "
                    "Image.effect_mandelbrot((8000, 8000), (-2, -1.5, 1, 1.5), 100).convert('RGB')"
                    f".save(sys.argv[1], {fmt!r})", str(path)], check=True, timeout=120)
    run = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    grown_mb, quality, error = run.stdout.split()
    assert error == "None" and int(quality) >= 50
    assert int(grown_mb) < 450, f"hashing an 8000×8000 {fmt} grew the process by {grown_mb} MB"


def test_a_downscaled_hash_still_matches_the_full_size_image():
    small = Image.effect_mandelbrot((HASH_SIDE, HASH_SIDE), (-2, -1.5, 1, 1.5), 100).convert("RGB")
    large = small.resize((3 * HASH_SIDE, 3 * HASH_SIDE))
    encoded = []
    for image in (small, large):
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        encoded.append(buffer.getvalue())
    assert hamming(pdq_image(encoded[0]).hex, pdq_image(encoded[1]).hex) <= 16


@pytest.mark.django_db
def test_an_image_declaring_too_many_pixels_is_refused_with_413(api_client, media_root):
    response = upload(api_client, png_claiming(9000, 9000), "bomb.png")
    assert response.status_code == 413
    assert "9000×9000" in response.json()["detail"] and "64 M pixels" in response.json()["detail"]
    assert not list(media_root.rglob("*.png"))
