"""Responsive images: smaller copies of each release photo for phones.

Editors commit the original (it stays downloadable at full resolution); the
build adds WebP copies at a few widths so a phone on a slow connection does
not download a camera-sized file. Copies are cached by the original's
content, so a rebuild only resizes new or changed photos.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

WIDTHS = (480, 960, 1600)
QUALITY = 80


@dataclass(frozen=True)
class Variant:
    path: Path  # the cached file
    width: int


@dataclass(frozen=True)
class ImageSet:
    width: int  # of the original, for the <img> width/height (no layout shift)
    height: int
    variants: tuple[Variant, ...]  # narrower than the original only


def responsive(source: Path, cache_dir: Path) -> ImageSet:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:20]
    with Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened)
        width, height = image.size
        variants = []
        for target in WIDTHS:
            if target >= width:
                break
            path = cache_dir / f"{digest}-{target}.webp"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                # Keep transparency (a logo on a transparent background must not turn black).
                has_alpha = image.mode in {"RGBA", "LA"} or "transparency" in image.info
                resized = image.convert("RGBA" if has_alpha else "RGB").resize((target, round(height * target / width)), Image.LANCZOS)
                temporary = path.with_suffix(".tmp")
                resized.save(temporary, "WEBP", quality=QUALITY, method=4)
                temporary.replace(path)  # never leave a half-written file in the cache
            variants.append(Variant(path, target))
    return ImageSet(width, height, tuple(variants))
