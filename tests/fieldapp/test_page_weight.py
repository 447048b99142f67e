"""
Volunteers work on old phones over weak, paid-for data. Every page fits in the first
round trip (14 KiB of gzipped HTML), its CSS and JS in 30 KiB gzipped, all from our host.
"""

import gzip
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from ..factories import PersonFactory

HTML_BUDGET = 14 * 1024
ASSET_BUDGET = 30 * 1024
OUR_HOST = "testserver"
PAGES = ["/", "/people/", "/people/new/", "person", "/login/"]


class References(HTMLParser):
    """Every URL a page points at, and which of them are its stylesheets and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href", "action", "poster", "data"):
            if values.get(name):
                self.urls.append(values[name])  # type: ignore[arg-type]
        rel = (values.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and values.get("href"):
            self.assets.append(values["href"])  # type: ignore[arg-type]
        if tag == "script" and values.get("src"):
            self.assets.append(values["src"])  # type: ignore[arg-type]


def static_file_bytes(url: str) -> bytes:
    path = urlsplit(url).path
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    assert path.startswith(prefix), f"{url} is not served from {prefix}"
    found = finders.find(path.removeprefix(prefix))
    assert found, f"{url} is referenced but no static file has that name"
    with open(found, "rb") as file:
        return file.read()


@pytest.fixture
def page_url(request, site):
    if request.param == "person":
        return PersonFactory(name="Samir", phone="+33612345678", home_site=site).get_absolute_url()
    return request.param


@pytest.mark.parametrize("page_url", PAGES, indirect=True)
def test_pages_stay_within_the_weight_budget(client, volunteer, page_url):
    if page_url != "/login/":
        client.force_login(volunteer, backend="services.accounts.backends.PasswordBackend")
    response = client.get(page_url)
    assert response.status_code == 200
    assert "Content-Encoding" not in response, "measure the HTML before compression"

    html_gzipped = len(gzip.compress(response.content))
    assert html_gzipped <= HTML_BUDGET, f"{page_url}: {html_gzipped} bytes of gzipped HTML"

    references = References()
    references.feed(response.content.decode())
    assert references.assets, f"{page_url} has no stylesheet: is the parser still right?"
    assets = b"".join(static_file_bytes(url) for url in references.assets)
    assets_gzipped = len(gzip.compress(assets))
    assert assets_gzipped <= ASSET_BUDGET, f"{page_url}: {assets_gzipped} bytes of CSS and JS"

    elsewhere = [url for url in references.urls if urlsplit(url).netloc not in ("", OUR_HOST)]
    assert elsewhere == [], f"{page_url} points at another host"
