"""One helper decides whole page or fragment."""


def test_plain_request_gets_the_whole_page(client, auth):
    auth.login("leder")
    html = client.get("/skole/").get_data(as_text=True)
    assert html.startswith("<!doctype html>") and "Hovedmeny" in html


def test_htmx_request_gets_only_the_fragment(client, auth):
    auth.login("leder")
    response = client.get("/skole/", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Ansatte" in html
    assert "HX-Request" in response.headers["Vary"]


def test_boosted_navigation_and_history_restore_get_the_whole_page(client, auth):
    auth.login("leder")
    boosted = client.get("/skole/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    restore = client.get("/skole/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    assert "<html" in restore.get_data(as_text=True)


def test_templates_read_rows_and_form_values_by_key_then_attribute(app):
    from werkzeug.datastructures import MultiDict

    def render(source, **context):
        return app.jinja_env.from_string(source).render(**context)

    row = {"name": "Ada <b>", "class_name": None}
    values = MultiDict([("kind", "concern"), ("pupil", "1"), ("pupil", "2")])
    assert render("{{ row.name }}|{{ row.class_name }}|{{ row.missing is undefined }}", row=row) == (
        "Ada &lt;b&gt;|None|True")
    # names that are not keys still find the dict's methods
    assert render("{{ row.get('name') }}|{{ row.items()|list|length }}", row=row) == "Ada &lt;b&gt;|2"
    assert render("{{ values.kind }}|{{ values.absent is undefined }}|{{ values.getlist('pupil')|join(',') }}",
                  values=values) == "concern|True|1,2"
    # a key wins over a method of the same name (rows are data)
    assert render("{{ row.items }}", row={"items": "a column"}) == "a column"
    # other objects as Jinja has it
    assert render("{{ text.upper() }}|{{ number.real }}", text="x", number=3) == "X|3"


def test_cached_partial_is_rendered_once_per_distinct_content(app):
    from webapp.rendering import _render_partial, cached_partial, frozen

    classes = frozen([{"id": 1, "name": "5A"}, {"id": 2, "name": "5B <x>"}])
    with app.test_request_context("/"):
        _render_partial.cache_clear()
        first = cached_partial("capture/_class_options.html", classes=classes)
        again = cached_partial("capture/_class_options.html", classes=frozen([{"id": 1, "name": "5A"},
                                                                              {"id": 2, "name": "5B <x>"}]))
        renamed = cached_partial("capture/_class_options.html", classes=frozen([{"id": 1, "name": "5A"},
                                                                                {"id": 2, "name": "5C"}]))
    assert first is again  # the same content: served from memory
    assert '<option value="2">5B &lt;x&gt;</option>' in first  # escaped as any template
    assert "5C" in renamed and "5B" not in renamed  # changed content: rendered anew, never stale
    assert _render_partial.cache_info().misses == 2
    assert classes[1].name == "5B <x>" and hash(classes)  # frozen rows read like the dicts and are hashable
