"""Checking and re-encoding uploaded images (the schoolyard map) with Pillow."""
import io
import warnings

from PIL import Image, ImageOps

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 1200  # enough detail on a phone, small enough to load outdoors
TARGET_BYTES = 80_000


class ImageProblem(ValueError):
    """An upload that cannot be used; the message is shown to the user."""


def process_map_image(data, max_pixels):
    """Check an uploaded map and re-encode it as WebP without EXIF.

    Returns (bytes, width, height). Raises ImageProblem with a Norwegian message.
    """
    if not data:
        raise ImageProblem("Velg en bildefil.")
    try:
        with warnings.catch_warnings():
            # Pillow warns (and at twice the limit raises) for decompression bombs
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            previous_limit = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = max_pixels
            try:
                image = Image.open(io.BytesIO(data))
                if image.format not in ACCEPTED_FORMATS:
                    raise ImageProblem("Kartet må være et bilde i JPEG-, PNG- eller WebP-format.")
                width, height = image.size
                if width * height > max_pixels:
                    raise ImageProblem("Bildet har for mange piksler. Last opp et mindre bilde.")
                image.load()
            finally:
                Image.MAX_IMAGE_PIXELS = previous_limit
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem("Bildet har for mange piksler. Last opp et mindre bilde.")
    except Exception:
        raise ImageProblem("Filen er ikke et bilde vi kan lese. Bruk JPEG, PNG eller WebP.")

    image = ImageOps.exif_transpose(image)
    image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # a fresh image carries no metadata at all: EXIF and GPS tags are gone
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    for quality in (75, 65, 55, 45, 35):
        out = io.BytesIO()
        clean.save(out, "WEBP", quality=quality, method=6)
        if out.tell() <= TARGET_BYTES:
            break
    return out.getvalue(), clean.width, clean.height
