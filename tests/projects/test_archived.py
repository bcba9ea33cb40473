"""An archived project's back office is read-only: every project-scoped POST is refused in one
place (`lider.projects.access.frozen`), with a Polish reason and no change; a closed project
takes no more recruitment decisions."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.urls import resolve, reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.projects.access import ALWAYS_OPEN
from tests.core.test_permission_matrix import (
    NO_OBJECT,
    PARAMETER,
    PROJECT_VIEWS,
    _invitation,
    _log_in,
    fill,
    real_ids_for,
)
from tests.demo_ids import demo_objects
from tests.factories import member

pytestmark = pytest.mark.django_db
ARCHIVED = "Ten projekt jest zarchiwizowany"


def _counts() -> dict:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _urls(project, objects):
    """(url, view) of every project-scoped route, with real objects of the project."""
    for route, view in PROJECT_VIEWS:
        if route.startswith("en/") or any(route.endswith(key) for key in NO_OBJECT):
            continue
        if set(PARAMETER.findall(route)) - {"slug"}:
            make = real_ids_for(route)
            assert make is not None, route
            yield fill(route, project.slug, make(objects)), view
        else:
            yield fill(route, project.slug, {}), view


def test_every_post_to_an_archived_project_is_refused_and_changes_nothing(
    client, demo_project, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    objects = demo_objects(demo_project)
    objects["invitation"] = type("Id", (), {"pk": _invitation(demo_project)})
    demo_project.state = "archived"
    demo_project.save(update_fields=["state"])
    admin = member(demo_project, Role.ADMINISTRATOR)
    _log_in(client, admin, Role.ADMINISTRATOR)
    before, audited = _counts(), AuditEntry.objects.order_by("pk").last().pk
    wrong, refused, open_ = [], 0, []
    for url, view in _urls(demo_project, objects):
        response = client.post(url, {"title": "Zmiana", "state": "running", "status": "present"})
        if view.lider_any_state:
            open_.append(url)
            if response.status_code >= 500:
                wrong.append((url, response.status_code))
            continue
        refused += 1
        if response.status_code != 403 or ARCHIVED not in response.content.decode():
            wrong.append((url, response.status_code))
    assert wrong == []
    assert refused > 50
    assert open_, "the rights' views should stay open"
    # Nothing changed: no row anywhere but the audit entries of what the open views showed.
    after = _counts()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    changed.pop("core.AuditEntry", None)
    changed.pop("jobs.Job", None)  # an export asked of the worker: a read, open in every state
    assert changed == {}
    # (The consent the walk withdrew: a withdrawal is open in every state, art. 7(3); and the
    # demo's proposed correction it accepted: rectification too, art. 16 — the person's data
    # changed and the proposal's status, no row added.)
    actions = set(
        AuditEntry.objects.filter(pk__gt=audited).values_list("action", "content_type__model")
    )
    rights = {("update", "consent"), ("update", "person"), ("status", "person")}
    assert {action for action, model in actions if (action, model) not in rights} <= {
        AuditEntry.Action.VIEW_SENSITIVE,
        AuditEntry.Action.EXPORT,
    }, actions


def test_an_archived_project_shows_the_banner_and_hides_the_forms(client, demo_project):
    member_user = member(demo_project, Role.COORDINATOR)
    client.force_login(member_user)
    card = reverse("projects:detail", kwargs={"slug": demo_project.slug})
    assert ARCHIVED not in client.get(card).content.decode()
    demo_project.state = "archived"
    demo_project.save(update_fields=["state"])
    page = client.get(card).content.decode()
    assert "biuro projektu działa tylko do odczytu" in page
    assert 'class="container read-only"' in page
    # The forms the law or a read keeps open are marked so the read-only style leaves them.
    exports = client.get(reverse("reporting:exports", kwargs={"slug": demo_project.slug}))
    assert 'class="inline-form any-state"' in exports.content.decode()


def test_a_real_change_is_refused_when_archived_and_made_when_running(client, demo_project):
    from lider.delivery.models import Attendance

    attendance = Attendance.objects.filter(session__task__project=demo_project).first()
    url = reverse(
        "delivery:mark",
        kwargs={
            "slug": demo_project.slug,
            "pk": attendance.session_id,
            "participant": attendance.participant_id,
        },
    )
    new = "absent" if attendance.status == "present" else "present"
    client.force_login(member(demo_project, Role.OFFICE))
    for state, expected in (("archived", attendance.status), ("closed", new)):
        demo_project.state = state
        demo_project.save(update_fields=["state"])
        client.post(url, {"status": new})
        attendance.refresh_from_db()
        assert attendance.status == expected, state


def test_a_closed_project_takes_no_recruitment_decision(client, demo_project):
    from lider.recruitment.models import Application

    application = Application.objects.filter(project=demo_project).order_by("pk").first()
    status = application.status
    demo_project.state = "closed"
    demo_project.save(update_fields=["state"])
    client.force_login(member(demo_project, Role.COORDINATOR))
    url = reverse("recruitment:decide", kwargs={"slug": demo_project.slug, "pk": application.pk})
    response = client.post(url, {"decision": "rejected", "reason": "x"})
    assert response.status_code == 403
    assert "rekrutacja się zakończyła" in response.content.decode()
    application.refresh_from_db()
    assert application.status == status


def test_the_views_open_in_every_state_are_few_and_named():
    open_views = {view.lider_permission for _route, view in PROJECT_VIEWS if view.lider_any_state}
    assert open_views <= ALWAYS_OPEN | {"recruitment.manage"}


class _Links(HTMLParser):
    """The hrefs of the links shown in <main>: not those marked `edit-action`, nor inside one."""

    def __init__(self):
        super().__init__()
        self.stack, self.shown, self.hidden = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = "edit-action" in (attrs.get("class") or "").split()
        if tag in VOID:
            hidden = hidden or any(self.stack)
        else:
            self.stack.append(hidden)
        if tag == "a" and attrs.get("href"):
            hidden = hidden or any(self.stack)
            (self.hidden if hidden else self.shown).append(attrs["href"])

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
SELF_POST = re.compile(r'<form method="post"(?![^>]*\bany-state\b)(?:(?! action=)[^>])*>')


def _links(page: str) -> _Links:
    parser = _Links()
    parser.feed(page[page.index("<main") : page.index("</main>")])
    return parser


# Pages with a form of their own that are first a list to read (who holds which role).
READS_TOO = {"projects:roles", "projects:invitations"}


def _is_edit_page(client, url: str) -> bool:
    """A page whose own form (posting to itself) the archived state refuses: an editing page."""
    match = resolve(urlsplit(url).path)
    if getattr(match.func, "lider_any_state", True) or match.view_name in READS_TOO:
        return False
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response["Content-Type"]:
        return False
    return bool(SELF_POST.search(response.content.decode()))


def test_an_archived_project_shows_no_link_to_an_editing_page(client, demo_project):
    """Every back-office page of an archived project: a link shown leads to no page whose form
    would be refused (the card's "Edit the card", "New session", ...): such links carry
    `edit-action`, which the read-only style hides."""
    objects = demo_objects(demo_project)
    objects["invitation"] = type("Id", (), {"pk": _invitation(demo_project)})
    demo_project.state = "archived"
    demo_project.save(update_fields=["state"])
    _log_in(client, member(demo_project, Role.ADMINISTRATOR), Role.ADMINISTRATOR)
    edit_pages: dict[str, bool] = {}
    shown, hidden, pages = [], [], 0
    for url, _view in _urls(demo_project, objects):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        pages += 1
        links = _links(response.content.decode())
        for href in links.shown + links.hidden:
            path = urlsplit(href).path
            if path.startswith("/biuro/") and path not in edit_pages:
                edit_pages[path] = _is_edit_page(client, href)
        shown += [(url, h) for h in links.shown if edit_pages.get(urlsplit(h).path)]
        hidden += [(url, h) for h in links.hidden]
    assert pages > 30
    assert sum(edit_pages.values()) > 5, "the walk found no editing page: it tests nothing"
    assert shown == [], "\n".join(sorted({h for _u, h in shown}))
    # A hidden link leads to an editing view (by its name: one revocation may show no form).
    editing = {resolve(path).view_name for path, edits in edit_pages.items() if edits}
    reads = {h for _u, h in hidden if resolve(urlsplit(h).path).view_name not in editing}
    assert reads == set(), "a link to a page that reads is hidden too"
