"""The floor for the benchmark: a Flask hello-world, served by gunicorn exactly like Trygg."""
from flask import Flask


def create_app():
    """One route that answers "Hello, World!"."""
    app = Flask(__name__)

    @app.route("/")
    def hello():
        """The cheapest page Flask can serve."""
        return "Hello, World!"

    return app
