"""Leadership (issue 5): the live feed of meldinger and incidents, and §12 cases.

Two blueprints: `feed` (/meldinger) and `cases` (/saker). Importing the
package registers the home panels, the tab badge and the demo records.
"""
from . import demo, panels  # noqa: F401  (registers @demo_step, @home_panel, @badge)
from .cases import bp as cases_bp
from .feed import bp as feed_bp

BLUEPRINTS = (feed_bp, cases_bp)
