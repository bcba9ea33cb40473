"""No special-category value reaches a role without the permission, on any output path.

The walk: as each role, follow every back-office link of the demo project (pages, fragments,
exports, PDFs, drill-downs, the recruitment ranking and scoring, the audit trail), at most a
few URLs per view; then change every person's special-category answers (disability, minority
or migrant, homelessness, other disadvantage) and fetch the same URLs again. For a role without
``personal.view_sensitive`` and ``personal.export`` nothing it gets may change: whatever
changed was derived from those answers. For a role holding them, the SL2014 export must
change, which shows the walk can see a leak.
"""

import io
import re
import zipfile
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve
from pypdf import PdfReader

from lider.core.permissions import Role, allows
from lider.people.models import Answer, Person
from tests.factories import member
from tests.reporting import export_jobs

SPECIAL = ["disability", "minority_or_migrant", "homeless", "other_disadvantage"]
FLIP = {Answer.YES: Answer.NO, Answer.NO: Answer.YES, Answer.REFUSED: Answer.YES}
PER_VIEW = 2  # URLs fetched per (view, query keys)
LINK = re.compile(r'(?:href|hx-get)="((?:/(?:en/)?biuro/|\?)[^"#]*)"')
VOLATILE = [  # CSRF tokens are masked afresh for every response
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r'<meta name="csrf-token" content="[^"]*">'),
]


def roles_without_permission():
    return [
        role
        for role in Role
        if not allows({role}, "personal.view_sensitive") and not allows({role}, "personal.export")
    ]


# The monitoring exports are asked for by a form (POST); the walk follows them to the file.
EXPORT_FORM = re.compile(r'action="(/(?:en/)?biuro/projekty/[^"/]+/eksport/[^"/]+/)"')


def fetch(client, url: str):
    """GET the URL; a monitoring export's URL is asked for and its file downloaded."""
    if resolve(urlsplit(url).path).view_name == "reporting:export":
        match = resolve(urlsplit(url).path)
        return export_jobs.download(client, match.kwargs["slug"], match.kwargs["profile"])
    return client.get(url)


def covered(url: str) -> bool:
    """Any back-office URL of the project (outside it: the project list, the account)."""
    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return "/biuro/projekty/" in url


def key_of(url: str):
    parts = urlsplit(url)
    match = resolve(parts.path)
    return match.view_name, tuple(sorted(k for k, _v in parse_qsl(parts.query)))


def normalised(response) -> str:
    """What the reader gets, without what changes from one request to the next."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode()
                for name in sorted(archive.namelist())
                if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
            )
    text = content.decode("utf-8", "replace")
    for pattern in VOLATILE:
        text = pattern.sub("", text)
    return text


def crawl(client, starts: list[str]) -> list[str]:
    """Back-office URLs reachable from ``starts`` by links, at most PER_VIEW per view."""
    seen, queue, per_key, found = set(starts), list(starts), Counter(), []
    while queue:
        url = queue.pop(0)
        response = fetch(client, url)
        if response.status_code != 200:
            continue
        found.append(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        body = response.content.decode()
        for link in LINK.findall(body) + EXPORT_FORM.findall(body):
            link = link.replace("&amp;", "&")
            if link.startswith("?"):
                link = urlsplit(url).path + link
            if link in seen or not covered(link):
                continue
            seen.add(link)
            key = key_of(link)
            if per_key[key] >= PER_VIEW:
                continue
            per_key[key] += 1
            queue.append(link)
    return found


def fetch_all(client, urls) -> dict[str, str]:
    """Each URL's normalised content; every write the fetching caused is rolled back."""
    with transaction.atomic():
        pages = {url: normalised(fetch(client, url)) for url in urls}
        transaction.set_rollback(True)
    return pages


def flip_special_categories():
    for answer, other in FLIP.items():
        for field in SPECIAL:
            # A temporary marker keeps "yes → no" and "no → yes" from undoing each other.
            Person.objects.filter(**{field: answer}).update(**{field: f"~{other}"})
    for field in SPECIAL:
        for other in set(FLIP.values()):
            Person.objects.filter(**{field: f"~{other}"}).update(**{field: other})


def walk(client, project, role, urls=None):
    """(URLs, their contents, their contents after the special categories changed); the URLs
    are found by following links unless given."""
    client.force_login(member(project, role))
    if urls is None:
        with transaction.atomic():
            home = f"/biuro/projekty/{project.slug}/"
            period = f"?start={project.start_date}&end={project.end_date}"
            # The progress report and the dashboard of a period link their PDF/XLSX and figures.
            starts = [home, f"{home}sprawozdanie/{period}", f"{home}wskazniki/{period}"]
            urls = crawl(client, starts)
            transaction.set_rollback(True)
    before = fetch_all(client, urls)
    with transaction.atomic():
        flip_special_categories()
        after = fetch_all(client, urls)
        transaction.set_rollback(True)
    return urls, before, after


def changed(before, after) -> list[str]:
    return [url for url in before if before[url] != after[url]]


def test_nothing_derived_from_special_categories_reaches_a_role_without_permission(
    client, demo_project
):
    """One walk per role (the demo is loaded once: it takes a while)."""
    leaks = {}
    for role in roles_without_permission():
        urls, before, after = walk(client, demo_project, role)
        if allows({role}, "reporting.export"):
            assert any(url.endswith("/eksport/sl2014/") for url in urls), urls
        leaks[role] = changed(before, after)

    assert leaks == {role: [] for role in roles_without_permission()}
    # The same comparison sees the answers where they may go: the coordinator's SL2014 export
    # (the very URL the partner got masked).
    export = f"/biuro/projekty/{demo_project.slug}/eksport/sl2014/"
    _urls, before, after = walk(client, demo_project, Role.COORDINATOR, urls=[export])
    assert changed(before, after) == [export]
