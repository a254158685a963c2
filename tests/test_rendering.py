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

