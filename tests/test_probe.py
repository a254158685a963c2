"""A probe of every route as each demo user: bad input gives a clear answer, never a 500.

It walks the demo school as a person would, one page per route found by
following links from the home screen and reading the post forms on them, then
sends every route a huge number in each of its integer URL parts and every form
a huge number in each of its fields that holds an id or a number, and every form
bad values in all its fields, whose messages must be in Norwegian.
"""
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import wtforms
from werkzeug.exceptions import HTTPException

from webapp import clock, create_app
from webapp.db import connect, init_db
from webapp.demo import seed_demo
from webapp.forms import BOKMAL, MESSAGES

from .conftest import TEST_HASH_METHOD
from .test_access import sign_in

NOW = "2026-11-26T10:00:00+01:00"  # a Thursday in the 09:45 break: the demo's duties are running
# one past SQLite's largest integer, and more digits than Python's int() reads from a string
HUGE_IDS = [str(2**63), "9" * 5000]
DEMO_USERS = ["ansatt", "leder", "skoleeier", "admin"]
SKIP_ACTIONS = {"/logg-ut"}  # logging out would end the walk
# what a person types into an empty field of each type, so the rest of a form is valid
TYPED = {"date": "2026-11-26", "time": "10:00", "datetime-local": "2026-11-26T10:00", "number": "1",
         "email": "probe@example.no", "password": "probe-passord-123", "search": "a"}
# ids some views read from a form without a field for them on the demo's pages
UNSEEN_ID_FIELDS = {"slot_id", "zone_id", "user_id", "school_id", "sak_id", "plan_id", "pupil"}


class Page(HTMLParser):
    """A page's links and post forms, each form with the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.links, self.forms = [], []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"].split("#")[0])
        elif tag == "form" and attrs.get("method", "").lower() == "post":
            self._form = {"action": attrs.get("action"), "fields": {}, "buttons": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "option" and self._select and attrs.get("value"):
            if "selected" in attrs or self._select not in self._form["fields"]:
                self._form["fields"][self._select] = attrs["value"]
        elif not name:
            return
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            self._form["fields"][name] = "Probe"
        elif tag == "button" or (tag == "input" and attrs.get("type") == "submit"):
            self._form["buttons"].append((name, attrs.get("value", "")))
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            if "checked" in attrs or (attrs["type"] == "radio" and name not in self._form["fields"]):
                self._form["fields"][name] = attrs.get("value", "on")
        elif tag == "input" and attrs.get("type") != "file":
            self._form["fields"][name] = attrs.get("value") or TYPED.get(attrs.get("type"), "Probe")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag in ("select", "textarea"):
            self._select = self._textarea = None

    def handle_data(self, text):
        if self._textarea and text.strip():
            self._form["fields"][self._textarea] = text.strip()


@pytest.fixture
def demo_app(tmp_path):
    """The app on a fresh demo database; CSRF (tested on its own) off so every form reaches its view."""
    path = tmp_path / "trygg.sqlite"
    app = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False, "SECRET_KEY": "test-secret",
                      "DATABASE": str(path), "NOW": NOW, "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
                      "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    db = connect(str(path))
    init_db(db)
    with app.app_context():
        app.demo_users = seed_demo(db, clock.parse(NOW))
    db.conn.close()
    return app


def route_of(app, url, method="GET"):
    """(endpoint, URL arguments) of the route a URL goes to, or (None, {})."""
    try:
        return app.url_map.bind("localhost").match(urlsplit(url).path, method=method)
    except HTTPException:
        return None, {}


def walk(app, client):
    """One page per GET route reachable from the home screen: {endpoint: url}, and the post forms on them."""
    pages, forms, queue = {}, [], ["/"]
    while queue:
        url = queue.pop(0)
        endpoint, _ = route_of(app, url)
        if endpoint in pages or endpoint in (None, "static"):
            continue
        pages[endpoint] = url
        response = client.get(url)
        assert response.status_code < 500, f"GET {url}: {response.status_code}"
        if response.mimetype == "text/html":
            page = Page()
            page.feed(response.get_data(as_text=True))
            queue += page.links
            forms += [{**form, "action": (form["action"] or url).split("#")[0]} for form in page.forms
                      if (form["action"] or url) not in SKIP_ACTIONS]
    return pages, forms


def with_each_button(form):
    """The form's values as sent by each of its submit buttons."""
    for button, value in form["buttons"] or [(None, None)]:
        yield {**form["fields"], **({button: value} if button else {})}


def build(rule, values):
    """A rule's URL with these values in its parts (url_for refuses numbers the converter refuses)."""
    return re.sub(r"<(?:[a-z]+:)?(\w+)>", lambda part: str(values.get(part[1], 1)), rule.rule)


def signed_in(app, username):
    """A test client signed in as a demo user, and a function that signs it in again."""
    client = app.test_client()

    def again():
        sign_in(client, app, app.demo_users[username])  # a form may have reset or deactivated the account
    again()
    return client, again


@pytest.mark.parametrize("username", DEMO_USERS)
def test_huge_ids_in_urls_and_forms_never_give_a_500(demo_app, username):
    client, sign_in_again = signed_in(demo_app, username)
    pages, forms = walk(demo_app, client)
    requests, problems = [], []
    # every integer part of every route's URL, huge, the other parts as the walk's page had them
    for rule in demo_app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            seen = route_of(demo_app, pages.get(rule.endpoint, ""), method)[1]
            for part in re.findall(r"<int:(\w+)>", rule.rule):
                requests += [(method, build(rule, {**seen, part: huge}), {}) for huge in HUGE_IDS]
    # every number in the query of a page of the walk
    for url in pages.values():
        query = parse_qsl(urlsplit(url).query)
        for index, (name, value) in enumerate(query):
            if value.isdigit():
                changed = query[:index] + [(name, HUGE_IDS[0])] + query[index + 1:]
                requests.append(("GET", f"{urlsplit(url).path}?{urlencode(changed)}", {}))
    # every form of the walk, a huge number in each field that holds a number, one at a time
    numeric_fields = set(UNSEEN_ID_FIELDS)
    for form in forms:
        for values in with_each_button(form):
            for name, value in values.items():
                if value.isdigit():
                    numeric_fields.add(name)
                    requests += [("POST", form["action"], {**values, name: huge}) for huge in HUGE_IDS]
    # every post route, with the ids the walk saw in its URL, and every such field at once
    actions = {route_of(demo_app, form["action"], "POST")[0]: form["action"] for form in forms}
    for rule in demo_app.url_map.iter_rules():
        if "POST" in rule.methods:
            url = actions.get(rule.endpoint) or build(rule, {})
            requests.append(("POST", url, {name: HUGE_IDS[0] for name in numeric_fields}))

    for method, url, data in requests:
        sign_in_again()
        status = client.open(url, method=method, data=data).status_code
        if status >= 500:
            problems.append(f"{method} {url[:200]} {str(data)[:300]}: {status}")
    assert not problems, "\n".join(problems)
    # the walk saw the user's screens (the admin has two), not just the log-in page
    assert len(pages) >= {"admin": 2}.get(username, 15), pages


# every message WTForms can give (its translation template), in English
WTFORMS_MESSAGES = re.findall(r'^msgid(?:_plural)? "(.+)"$',
                              (Path(wtforms.__file__).parent / "locale" / "wtforms.pot").read_text(), re.M)
BAD_VALUES = ["x", "", "x" * 20_000, HUGE_IDS[0], "2026-13-45", "25:99"]


def english_in(text):
    """The parts of WTForms' English messages that appear in a page's text."""
    text = html.unescape(text)
    pieces = {piece.strip(" '.:") for message in WTFORMS_MESSAGES
              for piece in re.split(r"%\(\w+\)[sd]|%s|\{\w+\}", message)}
    return sorted(piece for piece in pieces if len(piece) >= 8 and piece in text)


def test_every_wtforms_message_has_our_bokmal():
    assert WTFORMS_MESSAGES and [m for m in WTFORMS_MESSAGES if m not in MESSAGES] == []
    plural = BOKMAL.ngettext("Field cannot be longer than %(max)d character.",
                             "Field cannot be longer than %(max)d characters.", 120)
    assert plural == "Hold det kort: høyst %(max)d tegn."


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_form_answers_bad_values_in_norwegian(demo_app, username):
    client, sign_in_again = signed_in(demo_app, username)
    _, forms = walk(demo_app, client)
    problems, answered = [], 0
    for form in forms:
        for values in with_each_button(form):
            for bad in BAD_VALUES:
                sign_in_again()
                response = client.post(form["action"], data={name: bad for name in values})
                answered += response.status_code == 422
                english = english_in(response.get_data(as_text=True))
                if english:
                    problems.append(f"{form['action']} with {bad[:20]!r}: {english}")
    assert not problems, "\n".join(problems)
    assert answered  # the forms did answer with their messages
