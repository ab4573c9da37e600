"""Issue 7: the pages that lead to the API documents (premises.api.docs).

- ``/api/v2`` and ``/api/v2/`` answer (they used to redirect to themselves until the client gave up);
- ``/api/v2/docs`` loads Swagger UI with no outside request: every URL the page references is
  same-origin and answers 200 with the right content type;
- ``/`` and ``/docs`` lead to each dialect's documents (HTML for a browser, JSON otherwise).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from premises.api.app import create_app
from premises.api.dialects_installed import DIALECTS
from premises.api.upkeep.dialect import UPKEEP
from premises.config import Settings
from tests.api.kit.test_dialects import SECOND

UPKEEP_INDEX = {
    "name": "upkeep",
    "summary": "UpKeep-compatible",
    "url": "/api/v2",
    "title": "Premises — UpKeep-compatible API v2",
    "docs": "/api/v2/docs",
    "openapi": "/api/v2/openapi.json",
}
V1_INDEX = {
    "name": "v1",
    "summary": "native, Onsite style (OAuth 2.0 client credentials)",
    "url": "/v1",
    "title": "Premises — API v1",
    "docs": "/v1/docs",
    "openapi": "/v1/openapi.json",
}


class _References(HTMLParser):
    """Every URL an HTML page makes a browser load or offers as a link (src, href)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value is not None]


def _references(page: str) -> list[str]:
    parser = _References()
    parser.feed(page)
    # The document Swagger UI fetches is named in its inline script: url: '/api/v2/openapi.json'
    return parser.urls + re.findall(r"\burl: '([^']*)'", page)


@pytest.mark.parametrize("path", ["/api/v2", "/api/v2/"])
def test_the_dialect_prefix_answers_without_a_redirect(http: TestClient, path: str) -> None:
    response = http.get(path, follow_redirects=True)  # curl -L
    assert response.history == []
    assert response.status_code == 200
    assert response.json() == {"dialects": [UPKEEP_INDEX]}


def test_the_docs_page_loads_nothing_from_another_origin(http: TestClient) -> None:
    response = http.get("/api/v2/docs", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    urls = _references(page)
    assert len(urls) == 4  # style sheet, icon, script, document
    expected_types = {".css": "text/css", ".png": "image/png", ".js": "text/javascript", ".json": "application/json"}
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        loaded = http.get(url)
        assert loaded.status_code == 200, url
        suffix = url[url.rindex(".") :]
        assert loaded.headers["content-type"].startswith(expected_types[suffix]), url
        assert loaded.content, url


def test_the_docs_page_turns_off_the_online_validator(http: TestClient) -> None:
    assert '"validatorUrl": null' in http.get("/api/v2/docs").text


def test_assets_are_cached_and_only_the_listed_files_are_served(http: TestClient) -> None:
    script = http.get("/docs/assets/swagger-ui-bundle.js")
    assert script.headers["cache-control"] == "public, max-age=86400"
    assert "SwaggerUIBundle" in script.text
    for name in ("index.html", "swagger-initializer.js", "..%2F__init__.py", "nothing.js"):
        assert http.get(f"/docs/assets/{name}").status_code == 404, name


@pytest.mark.parametrize("path", ["/", "/docs", "/docs/"])
def test_the_root_lists_each_dialects_documents_as_json(http: TestClient, path: str) -> None:
    response = http.get(path, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"dialects": [UPKEEP_INDEX, V1_INDEX]}
    assert [d["url"] for d in response.json()["dialects"]] == [d.prefix for d in DIALECTS]


def test_the_root_is_a_page_of_links_for_a_browser(http: TestClient) -> None:
    response = http.get("/", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert _references(response.text) == ["/api/v2/docs", "/api/v2/openapi.json", "/v1/docs", "/v1/openapi.json"]
    for url in _references(response.text):
        assert http.get(url).status_code == 200, url


def test_head_on_the_pages(http: TestClient) -> None:
    for path in ("/", "/docs", "/api/v2", "/api/v2/docs", "/docs/assets/swagger-ui.css"):
        response = http.head(path)
        assert response.status_code == 200, path
        assert response.content == b"", path


def test_a_dialect_without_a_document_is_listed_without_links(settings: Settings, tmp_path: Path) -> None:
    own = Settings(database_url=settings.database_url, data_dir=tmp_path)
    with TestClient(create_app(own, dialects=(UPKEEP, SECOND))) as client:
        listed = client.get("/docs").json()["dialects"]
        assert listed == [UPKEEP_INDEX, {"name": "second", "summary": "a second dialect", "url": "/v1"}]
        assert client.get("/v1").json() == {"dialects": [listed[1]]}
        missing = client.get("/v1/docs")  # a 404 in the second dialect's own format
        assert (missing.status_code, missing.json()) == (404, {"error": {"status": 404, "dialect": "second"}})
        assert client.get("/api/v2/docs").status_code == 200
