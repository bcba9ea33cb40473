"""Every page of the demo, rendered in Polish, shows no English words and no raw "None".

The pages are read from the URL configuration, as the permission matrix reads them: a new page
whose URL has an id this module does not know how to fill fails
`test_every_page_has_real_ids`, so it cannot slip past unchecked.
"""

import re
from html.parser import HTMLParser
from itertools import chain
from pprint import pformat

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lider.people.situations import token_for as later_token
from tests.demo_ids import (
    application_ids,
    certificate_task_ids,
    demo_objects,
    entity_ids,
    indicator_ids,
    session_ids,
    task_ids,
)
from tests.reporting import export_jobs

# Words of the English interface that never belong to a Polish screen: whole words, compared
# case-sensitively where the word is a Python value ("None", "True", "False").
ENGLISH_WORDS = {
    "present", "absent", "excused", "late", "rows", "row", "incomplete", "masked", "full",
    "task", "group", "name", "save", "delete", "cancel", "edit", "submit", "search", "filter",
    "yes", "back", "next", "previous", "page", "the", "and", "of", "with", "for",
    "accepted", "rejected", "reserve", "pending", "draft", "created", "changed", "deleted",
    "valid", "revoked", "issued", "required", "male", "female", "woman", "man", "trainer",
    "coordinator", "participant", "session", "sessions", "attendance", "certificate",
    "venue", "date", "time", "people", "person", "institution", "institutions", "history",
    "none", "unknown", "total", "women", "men", "new", "withdrawn", "offered", "confirmed",
    "years", "hours", "minutes", "from", "until", "show", "hide", "download", "upload",
}  # fmt: skip
RAW_VALUES = {"None", "True", "False", "nan", "null"}

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
LINK = re.compile(r"(?:https?://|/)\S+|\S+@\S+")


class VisibleText(HTMLParser):
    """The interface's text: text nodes outside <script>, <style>, <template>, and <code> (data
    shown as stored, such as a rule's parameters in the audit trail)."""

    HIDDEN = {"script", "style", "template", "code"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def foreign_words(html: str) -> list[str]:
    """English words and raw Python values in the page's visible text, in order of appearance."""
    found = []
    for line in visible_text(html).splitlines():
        for word in WORD.findall(LINK.sub(" ", line)):
            if word in RAW_VALUES or word.lower() in ENGLISH_WORDS:
                found.append(word)
    return found


def test_foreign_words_finds_english_and_raw_values_in_text_only():
    html = (
        '<main title="present"><a href="/biuro/rows/">Obecność</a><p>3 rows, None</p>'
        "<script>var excused = true;</script><p>Status: Present</p>"
        "<p>zob. https://example.org/task/name lub biuro@lider.example</p>"
        '<p>Zadanie 1, Grupa A, nieobecna, wiersze</p><code>{"task": 1}</code></main>'
    )
    assert foreign_words(html) == ["rows", "None", "Present"]


def routes(resolver=None, prefix="", namespace=""):
    """(URL name, route) of every page, admin excluded (Django's own, translated by Django)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from routes(pattern, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, route


# Files, feeds and actions that answer no HTML page of their own (they redirect or download).
NOT_PAGES = {
    "set_language", "backoffice:logout", "projects:reveal",
    "delivery:list_pdf", "delivery:signed_list", "delivery_public:project_feed",
    "delivery_public:trainer_feed", "certification:register_xlsx", "certification:pdf",
    "certification:task_pdf", "certification:task_zip", "reporting:export",
    "reporting:export_file",
    "website:certificate_pdf", "website:after_login", "recruitment:import_preview",
    "recruitment:import_cancel",
    # An invitation's link and its actions: the demo has no invitation (the list is checked).
    "invitation:accept", "projects:invitation_resend", "projects:invitation_revoke",
    "backoffice:password_reset_confirm",  # a link from an e-mail, with a one-time token
    "recruitment_public:confirm", "certification_public:verify",
    # The data subject's rights: downloads (PDF, JSON, XLSX) and POST actions that redirect.
    "rights:access", "rights:register", "rights:restrict", "rights:lift", "rights:erase",
    "website:my_data", "rollup:xlsx",
    # Rectification's POST actions (they redirect to the person's or the account's page).
    "people:correction_accept", "people:correction_reject", "website:correction",
    "website:logo",  # a logo's PNG (the demo's strip is captions only)
}  # fmt: skip


# For each URL name with ids: its ids (or a list of them), from the demo objects.
IDS = {
    "reporting:export_job": lambda d: {"pk": d["job"].pk},
    "recruitment:import_job": lambda d: {"pk": d["import_job"].pk},
    "projects:revoke": lambda d: {"pk": d["membership"].pk},
    # A person, and the person with the demo's correction waiting (its box on the page).
    "people:detail": lambda d: [
        {"pk": d["person"].person_id},
        {"pk": d["correction"].person_id},
    ],
    "people:edit": lambda d: {"pk": d["person"].person_id},
    "people:completion": lambda d: {"pk": d["person"].person_id},
    "people:exit": lambda d: {"pk": d["person"].person_id},
    "people:situations": lambda d: {"pk": d["person"].person_id},
    "people_public:later": lambda d: {"token": later_token(d["person"])},
    "website:situations": lambda d: {"pk": d["person"].pk},
    "people:institution": lambda d: {"pk": d["institution"].institution_id},
    "people:institution_dates": lambda d: {"pk": d["institution"].institution_id},
    "recruitment:detail": application_ids,
    "recruitment:decide": application_ids,
    "recruitment:withdraw": application_ids,
    "recruitment:confirm": application_ids,
    "recruitment:identity": application_ids,
    "recruitment:withdraw_consent": lambda d: {"pk": d["consent"].pk},
    "outcomes:detail": lambda d: [{"pk": entity.pk} for entity in d["entities"]],
    "outcomes:edit": entity_ids,
    "outcomes:verify": entity_ids,
    "outcomes:confirm": entity_ids,
    "reporting:records": lambda d: [{"pk": indicator.pk} for indicator in d["indicators"]],
    "reporting:indicator_edit": indicator_ids,
    "reporting:indicator_delete": indicator_ids,
    "reporting:snapshot": lambda d: {"pk": d["values"][0].snapshot_id},
    "reporting:snapshot_records": lambda d: [
        {"pk": value.snapshot_id, "value_pk": value.pk} for value in d["values"]
    ],
    "reporting:export_check": lambda d: {"profile": "sl2014"},
    "delivery:session": session_ids,
    "delivery:edit": session_ids,
    "delivery:all_present": session_ids,
    "delivery:mark": lambda d: {
        "pk": d["session"].pk,
        "participant": d["enrolment"].participant_id,
    },
    "delivery:upload_signed_list": session_ids,
    "delivery:book": session_ids,
    "delivery:cancel_booking": lambda d: {
        "pk": d["booking"].session_id,
        "booking": d["booking"].pk,
    },
    "delivery:task": task_ids,
    "delivery:enrol": task_ids,
    "delivery:enrolment_status": lambda d: {**task_ids(d), "enrolment": d["enrolment"].pk},
    "delivery:participant": lambda d: {**task_ids(d), "participant": d["enrolment"].participant_id},
    "certification:detail": lambda d: {"pk": d["certificate"].pk},
    "certification:revoke": lambda d: {"pk": d["certificate"].pk},
    "certification:task": certificate_task_ids,
    "certification:rule": certificate_task_ids,
    "certification:scores": certificate_task_ids,
    "certification:scores_import": certificate_task_ids,
    "certification:issue": lambda d: {
        **certificate_task_ids(d),
        "participant_pk": d["certificate"].participant_id,
    },
    "certification:bulk_issue": certificate_task_ids,
    "certification:run": lambda d: {"pk": d["run"].pk},
    "website:consent_withdraw": lambda d: {"pk": d["consent"].pk},
    "accounts:deactivate": lambda d: {"pk": d["account"].pk},
    "accounts:activate": lambda d: {"pk": d["account"].pk},
    "accounts:reset_second_factor": lambda d: {"pk": d["account"].pk},
}


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def page_urls(project) -> dict[str, list[str]]:
    """Each page's URLs: one, or one per object where several objects look different."""
    objects = demo_objects(project)
    urls = {}
    for name, route in routes():
        if name in NOT_PAGES:
            continue
        ids = IDS[name](objects) if name in IDS else {}
        slug = {"slug": project.slug} if "slug" in PARAMETER.findall(route) else {}
        urls[name] = [
            reverse(name, kwargs={**kwargs, **slug} or None)
            for kwargs in (ids if isinstance(ids, list) else [ids])
        ]
    return urls


def test_every_page_has_real_ids():
    """A page with an id this module cannot fill is a page the Polish check would skip."""
    missing = [
        name
        for name, route in routes()
        if name not in NOT_PAGES and set(PARAMETER.findall(route)) - {"slug"} and name not in IDS
    ]
    assert missing == []


def check(client, who, url, found):
    response = client.get(url)
    if "/biuro/projekty/" in url:  # the role's pages, not the login ones, must be reached
        assert response.status_code != 302 or "/logowanie/" not in response.url, (who, url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    words = foreign_words(response.content.decode())
    if words:
        found[f"{who} {url}"] = sorted(set(words))


def verified_login(client, user):
    """Logged in with the second factor passed (the administrator must have one)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def office_week(client, project):
    """What an office does in its first week, so that the pages show history entries too: an
    export, a rejection, an application from the public form, a role granted."""
    from lider.projects.services import grant_role
    from lider.recruitment import services
    from lider.recruitment.models import Application
    from tests.factories import PersonFactory, UserFactory

    coordinator = User.objects.get(username="koordynator")
    client.force_login(coordinator)
    export_jobs.download(client, project.slug, "pefs2007")
    application = services.submit_application(
        project,
        person=PersonFactory.build(),
        target_group=project.target_groups.first(),
        consent_texts=services.required_consent_texts(project),
    )
    response = client.post(
        reverse("recruitment:decide", kwargs={"slug": project.slug, "pk": application.pk}),
        {"decision": Application.Status.REJECTED, "reason": "Poza obszarem projektu"},
    )
    assert response.status_code == 302
    grant_role(project, actor=coordinator, user=UserFactory(), role="trainer")
    return application


@pytest.mark.django_db
def test_every_demo_page_is_in_polish(client, demo_project):
    found = {}
    application = office_week(client, demo_project)
    urls = page_urls(demo_project)
    urls["recruitment:detail"].append(
        reverse("recruitment:detail", kwargs={"slug": demo_project.slug, "pk": application.pk})
    )
    for login in ("koordynator", "administrator", "audytor"):
        verified_login(client, User.objects.get(username=login))
        for url in chain.from_iterable(urls.values()):
            check(client, login, url, found)
    client.force_login(User.objects.get(username="uczestnik"))
    check(client, "uczestnik", reverse("website:account"), found)
    client.logout()
    for name in ("website:home", "website:project", "website:results", "recruitment_public:apply",
                 "recruitment_public:apply_institution", "certification_public:verify_form",
                 "delivery_public:project_calendar", "people_public:later"):  # fmt: skip
        check(client, "anonymous", urls[name][0], found)
    assert found == {}, pformat(found, width=100)
