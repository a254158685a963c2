"""Points and zones on the schoolyard map, in coordinates relative to the image (0..1)."""
import functools
import json


class PolygonProblem(ValueError):
    """A zone outline that cannot be used; the message is shown to the user."""


def parse_polygon(text):
    """A polygon from JSON [[x, y], ...] or lines of 'x,y' in percent.

    Returns a list of [x, y] pairs in 0..1. Raises PolygonProblem.
    """
    text = (text or "").strip()
    if not text:
        return []
    try:
        if text.startswith("["):
            points = [[float(x), float(y)] for x, y in json.loads(text)]
        else:
            points = []
            for line in text.replace(";", "\n").splitlines():
                if line.strip():
                    x, y = line.replace(" ", "").split(",")
                    points.append([float(x) / 100, float(y) / 100])
    except (ValueError, TypeError):
        raise PolygonProblem("Punktene må skrives som «x,y» i prosent, ett punkt per linje.")
    if len(points) < 3:
        raise PolygonProblem("En sone trenger minst tre punkter.")
    if not all(0 <= x <= 1 and 0 <= y <= 1 for x, y in points):
        raise PolygonProblem("Alle punktene må ligge innenfor kartet (0–100 %).")
    return [[round(x, 4), round(y, 4)] for x, y in points]


def polygon_as_percent_lines(polygon):
    """The text form of a polygon, for the list-based editor."""
    return "\n".join(f"{x * 100:.1f},{y * 100:.1f}" for x, y in polygon)


def contains(polygon, x, y):
    """Whether the point lies inside the polygon (ray casting)."""
    inside = False
    count = len(polygon)
    for i in range(count):
        x1, y1 = polygon[i]
        x2, y2 = polygon[(i + 1) % count]
        if (y1 > y) != (y2 > y):
            crossing = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < crossing:
                inside = not inside
    return inside


def zone_at(zones, x, y):
    """The first zone (dict with 'polygon' as JSON text or list) containing the point, or None."""
    for zone in zones:
        polygon = zone["polygon"]
        if isinstance(polygon, str):
            polygon = json.loads(polygon or "[]")
        if len(polygon) >= 3 and contains(polygon, x, y):
            return zone
    return None


def valid_point(x, y):
    """Whether a map point lies on the image."""
    return x is not None and y is not None and 0 <= x <= 1 and 0 <= y <= 1


def svg_points(polygon, width, height):
    """The polygon as an SVG points attribute in image pixels."""
    if isinstance(polygon, str):
        return _svg_points_of_json(polygon, width, height)
    return " ".join(f"{x * width:.0f},{y * height:.0f}" for x, y in polygon)


@functools.lru_cache(maxsize=512)
def _svg_points_of_json(polygon, width, height):
    """svg_points for a polygon as stored: every map on every screen draws the same few zones."""
    return svg_points(json.loads(polygon or "[]"), width, height)
