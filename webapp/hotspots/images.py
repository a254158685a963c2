"""The heatmap: concerns drawn on the school's own map with Pillow, kept in a file until new records arrive.

Why a file cache (and not memory or a cache library): the picture depends only on
the school, the filter and what the school has recorded, so its key is exactly
that (the latest record's id, the latest correction's, the map's version). A
file beside the database is shared by every gunicorn worker, survives a restart
and needs no invalidation: a new or corrected record changes the key, and the
school's older files are removed when a new one is written. (A pupil moved to
another class is not a new record: a class filter's picture follows at the next one.)
"""
import hashlib
import io
import math
import os
from pathlib import Path

from PIL import Image

WIDTH = 800          # across, in pixels: sharp on a phone (390 px at 2×), small to load outdoors
GRID = 120           # the density is worked out on a grid this many cells across, then smoothed up
SPREAD = 0.03        # a record's warmth spreads about this far (one standard deviation, a share of the width)
QUALITY = 70


def _digest(value):
    """A short hash of a value's text."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def cache_name(school_id, filters, marker):
    """The heatmap's name: what the school has recorded (its latest record), then the school and filter."""
    return f"{_digest(tuple(marker))}-{_digest((school_id, sorted(filters.items())))}"


def cached(directory, school_id, name):
    """The cached heatmap's bytes, or None."""
    try:
        return (Path(directory) / str(school_id) / f"{name}.webp").read_bytes()
    except OSError:
        return None


def store(directory, school_id, name, data):
    """Keep a heatmap (written whole, then renamed); the school's files from before its latest record go."""
    folder = Path(directory) / str(school_id)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{name}.{os.getpid()}"
    temporary.write_bytes(data)
    os.replace(temporary, folder / f"{name}.webp")
    records = name.split("-")[0] + "-"
    for old in folder.glob("*.webp"):
        if not old.name.startswith(records):
            old.unlink(missing_ok=True)


def _kernel(radius):
    """A Gaussian's weights from -radius to radius (three standard deviations: no hard edge)."""
    sigma = max(radius / 3, 0.5)
    return [math.exp(-(i * i) / (2 * sigma * sigma)) for i in range(-radius, radius + 1)]


def density(points, columns, rows, radius):
    """The points' density on a columns × rows grid, smoothed by a Gaussian (two passes, one per axis).

    Sparse: each filled cell adds the kernel around it, so the cost follows the cells that hold records.
    """
    counts = {}
    for x, y in points:
        cell = (min(rows - 1, max(0, int(y * rows))), min(columns - 1, max(0, int(x * columns))))
        counts[cell] = counts.get(cell, 0) + 1
    kernel = _kernel(radius)
    across = {}
    for (row, column), count in counts.items():
        line = across.setdefault(row, [0.0] * columns)
        for offset, weight in enumerate(kernel, column - radius):
            if 0 <= offset < columns:
                line[offset] += weight * count
    grid = [[0.0] * columns for _ in range(rows)]
    for row, line in across.items():
        for target, weight in enumerate(kernel, row - radius):
            if 0 <= target < rows:
                grid[target] = [total + weight * value for total, value in zip(grid[target], line)]
    return grid


def _colours():
    """The look-up tables from warmth (0–255) to colour: clear, then yellow, orange and red."""
    red = [255] * 256
    green = [int(230 - 200 * (v / 255)) for v in range(256)]
    blue = [int(60 * (1 - v / 255)) for v in range(256)]
    alpha = [int(210 * min(1, v / 96)) for v in range(256)]
    return red, green, blue, alpha


def render(map_image, points):
    """The map with the points' warmth laid over it, as WebP bytes sized for phones."""
    base = Image.open(io.BytesIO(map_image)).convert("RGB")
    height = round(base.height * WIDTH / base.width)
    base = base.resize((WIDTH, height), Image.Resampling.LANCZOS).convert("RGBA")
    if points:
        columns, rows = GRID, max(1, round(GRID * height / WIDTH))
        grid = density(points, columns, rows, max(1, round(3 * SPREAD * columns)))
        peak = max(max(line) for line in grid) or 1
        # the square root lifts a single record out of a busy map's shadow without flattening the peaks
        warmth = Image.new("L", (columns, rows))
        warmth.putdata([int(255 * math.sqrt(value / peak)) for line in grid for value in line])
        warmth = warmth.resize((WIDTH, height), Image.Resampling.BICUBIC)
        layers = [warmth.point(table) for table in _colours()]
        base = Image.alpha_composite(base, Image.merge("RGBA", layers))
    out = io.BytesIO()
    base.convert("RGB").save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()
