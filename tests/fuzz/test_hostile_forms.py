"""Hostile input to every form and filter Lider shows, as each role: nothing may answer 500.

The pages are found by crawling from each role's entry points (so every URL has real object
ids), and each form found is submitted with values drawn by hypothesis: text in any script
(RTL, zero-width, NUL, fullwidth digits), huge numbers, impossible dates, over-long values,
mixed with the form's own defaults so that validation gets past the first field. Examples are
bounded so the whole walk stays well under a minute per database.
"""

import io
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

NASTY = [
    "\x00",
    "a\x00b",
    "9" * 40,
    "-" + "9" * 30,
    "1e308",
    "NaN",
    "9999-12",
    "1-1",
    "99999999-01-01",
    "0000-00-00",
    "2010-02-30",
    "１２３４５",
    "٤٥٦",
    "\u202eevil\u202c",
    "\u200b",
    '=HYPERLINK("http://x")',
    "../../etc/passwd",
    "LRES/2010/001",
    "/",
    "---",
    "%00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 5000,
    "ą" * 70000,
    "[" * 2000,
    "",
    " ",
]

hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=200),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.dates().map(lambda d: d.isoformat()),
)

SKIPPED_PATHS = ("/admin/", "/biuro/wylogowanie/", "/i18n/")
PAGES_PER_ROUTE = 2
MAX_PAGES = 250
EXAMPLES_PER_FORM = 3
# Sent in every field of every form, besides the drawn examples: the classic causes of a 500.
EVERY_FIELD = ["\x00", "9" * 40, "9999-12", "ż" * 30000]
ROLES = ["koordynator", "biuro", "trener", "partner", "audytor", "uczestnik"]


class Forms(HTMLParser):
    """Links and forms of a page; a form is (method, action, [(name, kind, default, options)])."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._select = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append((method, attrs.get("action") or "", []))
        elif tag in ("input", "textarea", "select") and self.forms and attrs.get("name"):
            kind = attrs.get("type", tag).lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            field = [attrs["name"], kind, attrs.get("value", ""), []]
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                field[2] = ""
            self.forms[-1][2].append(field)
            self._select = field if tag == "select" else None
        elif tag == "option" and self._select is not None:
            self._select[3].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def route_of(path):
    try:
        return resolve(path).route
    except Resolver404:
        return None


def crawl(client, starts):
    """Every reachable HTML page of the site from `starts`, at most PAGES_PER_ROUTE per route."""
    seen, per_route, pages, queue = set(), Counter(), [], list(starts)
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        route = route_of(path)
        if url in seen or route is None or path.startswith(SKIPPED_PATHS):
            continue
        seen.add(url)
        if per_route[route] >= PAGES_PER_ROUTE:
            continue
        per_route[route] += 1
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html") or response.status_code != 200:
            continue
        parser = Forms()
        parser.feed(response.content.decode())
        pages.append((url, parser.forms))
        for href in parser.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc in ("", "testserver") and parts.scheme in ("", "http"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def submit(client, page_url, form, values):
    method, action, fields = form
    url = urljoin(page_url, action) if action else page_url
    data = {}
    for (name, kind, _default, _options), value in zip(fields, values, strict=True):
        if kind == "file":
            data[name] = io.BytesIO(value.encode("utf-8", "surrogatepass")[:2000])
            data[name].name = "plik.xlsx"
        else:
            data[name] = value
    if method == "post":
        return client.post(url, data)
    base = urlsplit(url)
    query = dict(parse_qsl(base.query)) | {k: v for k, v in data.items() if isinstance(v, str)}
    return client.get(base.path, query)


def field_value(field):
    """The field's own default or one of its options, or something hostile."""
    _name, kind, default, options = field
    own = st.sampled_from(options or [default])
    return st.one_of(own, hostile_text) if kind != "hidden" else st.one_of(own, own, hostile_text)


def fuzz(client, pages, errors):
    assert len(pages) > 3, "the crawl found (almost) nothing: the walk would test nothing"
    for url, forms in pages:
        for form in forms:
            names = [field[0] for field in form[2]]
            if names and names != ["csrfmiddlewaretoken"]:
                fuzz_form(client, url, form, errors)


def fuzz_form(client, url, form, errors):
    """Submit `form` EXAMPLES_PER_FORM times with drawn values; record every 5xx."""

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.tuples(*[field_value(field) for field in form[2]]))
    def one(values):
        status = submit(client, url, form, values).status_code
        if status >= 500:
            names = [field[0] for field in form[2]]
            sent = dict(zip(names, values, strict=True))
            errors.append(f"{form[0].upper()} {form[1] or url} from {url}: {status} {sent!r:.600}")

    one()
    for value in EVERY_FIELD:
        response = submit(client, url, form, [value] * len(form[2]))
        if response.status_code >= 500:
            errors.append(
                f"{form[0].upper()} {form[1] or url} from {url}: every field {value!r:.20}"
            )


@pytest.fixture
def server_errors():
    """Exceptions raised inside views (the client is told not to re-raise them)."""
    caught = []

    def record(sender, request=None, **kwargs):
        import sys

        caught.append(
            f"{request.method if request else '?'} {request.path if request else '?'}: "
            f"{sys.exc_info()[1]!r:.300}"
        )

    got_request_exception.connect(record)
    yield caught
    got_request_exception.disconnect(record)


@pytest.mark.django_db(transaction=False)
def test_no_input_gives_a_server_error(demo_project, server_errors):
    public_starts = [
        "/",
        f"/projekty/{demo_project.slug}/",
        f"/en/projects/{demo_project.slug}/",
        "/weryfikacja/",
        "/biuro/logowanie/",
    ]
    errors = []
    anonymous = Client(raise_request_exception=False)
    fuzz(anonymous, crawl(anonymous, public_starts), errors)

    from django.contrib.auth.models import User

    for login in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=login))
        starts = ["/biuro/", f"/biuro/projekty/{demo_project.slug}/", "/konto/"]
        fuzz(client, crawl(client, starts), errors)

    problems = errors + server_errors
    assert not problems, "\n".join(problems)
