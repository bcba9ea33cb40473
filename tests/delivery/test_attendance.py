"""Marking attendance on the session page: the summary above the list follows each tap."""

import re

import pytest

from tests.delivery.conftest import url

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    match = re.search(r'<div id="attendance-summary"[^>]*>(.*?)</div>', html, re.S)
    assert match, html
    return " ".join(match.group(0).split())


def test_a_tap_answers_with_the_row_and_the_updated_summary(client, setup):
    session, people = setup["session"], setup["people"]
    client.force_login(setup["trainer"])
    mark = url("delivery:mark", setup, pk=session.pk, participant=people[0].pk)

    fragment = client.post(mark, {"status": "absent"}, HTTP_HX_REQUEST="true").content.decode()

    assert fragment.lstrip().startswith(f'<li id="p{people[0].pk}" class="attendee mark-absent"')
    summary = _summary(fragment)
    assert summary.startswith('<div id="attendance-summary" hx-swap-oob="true">')
    assert (
        "Na liście: 3. Obecni 0, spóźnieni 0, usprawiedliwieni 0, nieobecni 1, nieoznaczeni 2."
        in summary
    )
    assert "/obecnosc/wszyscy/" in summary  # two still unmarked: "everyone present" stays


def test_the_summary_drops_everyone_present_once_all_are_marked(client, setup):
    session, people = setup["session"], setup["people"]
    client.force_login(setup["trainer"])
    for person, status in zip(people, ["present", "late", "excused"], strict=True):
        fragment = client.post(
            url("delivery:mark", setup, pk=session.pk, participant=person.pk),
            {"status": status},
            HTTP_HX_REQUEST="true",
        ).content.decode()

    summary = _summary(fragment)
    assert "Obecni 1, spóźnieni 1, usprawiedliwieni 1, nieobecni 0, nieoznaczeni 0." in summary
    assert "/obecnosc/wszyscy/" not in summary
    page = client.get(url("delivery:session", setup, pk=session.pk)).content.decode()
    assert _summary(page).startswith('<div id="attendance-summary">')  # not out of band
    assert "nieoznaczeni 0." in _summary(page)


def test_without_javascript_a_tap_redirects_to_the_page_with_the_summary(client, setup):
    session, person = setup["session"], setup["people"][0]
    client.force_login(setup["trainer"])

    response = client.post(
        url("delivery:mark", setup, pk=session.pk, participant=person.pk),
        {"status": "absent"},
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith(f"/{session.pk}/#p{person.pk}")
    assert "nieobecni 1, nieoznaczeni 2." in _summary(response.content.decode())


def test_a_trainer_refused_at_another_trainers_list_is_told_why(client, setup):
    from lider.core.permissions import Role
    from tests.delivery.factories import SessionFactory
    from tests.factories import member

    colleague = member(setup["project"], Role.TRAINER)
    colleague.first_name, colleague.last_name = "Anna", "Kowalczyk"
    colleague.save()
    theirs = SessionFactory(task=setup["task"], group=setup["group"], trainers=[colleague])
    nobodys = SessionFactory(task=setup["task"], group=setup["group"])
    client.force_login(setup["trainer"])
    session_page = url("delivery:session", setup, pk=theirs.pk)

    refused = client.post(
        url("delivery:mark", setup, pk=theirs.pk, participant=setup["people"][0].pk),
        {"status": "present"},
        HTTP_REFERER="http://testserver" + session_page,
    )
    everyone = client.post(url("delivery:all_present", setup, pk=nobodys.pk))

    assert refused.status_code == everyone.status_code == 403
    assert [t.name for t in refused.templates][0] == "errors/403.html"
    html = refused.content.decode()
    assert "Tę listę obecności prowadzi inny trener: Anna Kowalczyk." in html
    assert "Obecność możesz zaznaczać tylko na zajęciach, które prowadzisz." in html
    assert "Nic nie zostało zapisane." in html
    assert f'href="http://testserver{session_page}"' in html  # the way back to the list
    assert "Do tych zajęć nie przypisano jeszcze trenera" in everyone.content.decode()
    page = client.get(session_page).content.decode()
    assert "Tę listę obecności prowadzi inny trener: Anna Kowalczyk." in page
