import pytest
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.people.models import Participant
from lider.recruitment import services
from lider.recruitment.models import Application
from lider.territory.queries import unit_by_code
from tests.factories import ApplicationFactory, PersonFactory, member

pytestmark = pytest.mark.django_db


def list_url(project, **query):
    url = reverse("recruitment:list", kwargs={"slug": project.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def make(project, n, **kwargs):
    return [ApplicationFactory(project=project, **kwargs) for _ in range(n)]


@pytest.mark.parametrize("rows", [1, 3])
def test_application_list_queries_constant(client, project, rows, django_assert_num_queries):
    make(project, rows, target_group=project.target_groups.first())
    client.force_login(member(project, Role.OFFICE))
    # session, user (read with the second-factor facts), project, roles, counties, groups,
    # counts (the page count among them), page rows
    with django_assert_num_queries(8):
        response = client.get(list_url(project))
    assert response.content.decode().count("/rekrutacja/") >= rows


@pytest.mark.parametrize("rows", [1, 3])
def test_ranking_queries_constant(client, project, rows, django_assert_num_queries):
    make(project, rows)
    client.force_login(member(project, Role.COORDINATOR))
    with django_assert_num_queries(7):
        client.get(reverse("recruitment:ranking", kwargs={"slug": project.slug}))


def test_filters_and_counts(client, project):
    group = project.target_groups.get(order=1)
    myszkow = PersonFactory(gmina=unit_by_code("2409011"))
    make(project, 2, target_group=group)
    ApplicationFactory(project=project, person=myszkow, status="rejected", is_eligible=False)
    client.force_login(member(project, Role.OFFICE))

    response = client.get(list_url(project))
    assert response.context["counts"]["total"] == 3
    assert response.context["counts"]["rejected"] == 1
    assert response.context["counts"]["not_eligible"] == 1

    county = unit_by_code("2409").pk
    assert [a.person for a in client.get(list_url(project, county=county)).context["page"]] == [
        myszkow
    ]
    assert len(client.get(list_url(project, status="submitted")).context["page"]) == 2
    assert len(client.get(list_url(project, eligible="no")).context["page"]) == 1
    assert len(client.get(list_url(project, target_group=group.pk)).context["page"]) == 2


def _counted_row_by_row(applications) -> dict:
    """The summary as the list computed it before it was grouped: ten filtered counts."""
    from django.db.models import Count, Q

    statuses = {status: Count("pk", filter=Q(status=status)) for status in Application.Status}
    return applications.order_by().aggregate(
        total=Count("pk"),
        eligible=Count("pk", filter=Q(is_eligible=True)),
        not_eligible=Count("pk", filter=Q(is_eligible=False)),
        to_check=Count("pk", filter=Q(identity=Application.Identity.TO_CHECK)),
        **statuses,
    )


def test_the_grouped_summary_equals_the_counts_it_replaced(project):
    from lider.recruitment import queries

    group = project.target_groups.get(order=1)
    myszkow = unit_by_code("2409011")
    statuses, identities = list(Application.Status), list(Application.Identity)
    for n in range(30):
        ApplicationFactory(
            project=project,
            person=PersonFactory(gmina=myszkow) if n % 4 == 0 else PersonFactory(),
            status=statuses[n % len(statuses)],
            is_eligible=n % 3 != 0,
            identity=identities[n % len(identities)],
            target_group=group if n % 5 == 0 else None,
        )
    ApplicationFactory(status="rejected", person=PersonFactory(gmina=myszkow))  # elsewhere

    for filters in [
        {},
        {"status": "accepted"},
        {"eligible": "no"},
        {"identity": "to_check"},
        {"county": unit_by_code("2409").pk},
        {"target_group": group.pk, "eligible": "yes"},
        {"status": "withdrawn", "identity": "linked"},
    ]:
        applications = queries.filtered(queries.applications_for(project), **filters)
        assert queries.counts(applications) == _counted_row_by_row(applications), filters
    assert queries.counts(queries.applications_for(project))["total"] == 30


@pytest.mark.parametrize(
    "role, sees_list, may_reveal",
    [
        (Role.COORDINATOR, True, True),
        (Role.OFFICE, True, True),
        (Role.AUDITOR, True, True),
        (Role.PARTNER, True, False),
        (Role.TRAINER, False, False),
    ],
)
def test_pesel_masked_and_revealed_only_to_roles_that_need_it(
    client, project, role, sees_list, may_reveal
):
    application = ApplicationFactory(
        project=project, person=PersonFactory(pesel="90010112349", disability="yes")
    )
    client.force_login(member(project, role))
    response = client.get(list_url(project))
    if not sees_list:
        assert response.status_code == 403
    else:
        body = response.content.decode()
        assert "900101*****" in body and "90010112349" not in body
        assert ('hx-post="/biuro/projekty/' in body) is may_reveal
    reveal = reverse(
        "projects:reveal",
        kwargs={
            "slug": project.slug,
            "model": "people.Person",
            "pk": application.person.pk,
            "field": "pesel",
        },
    )
    response = client.post(reveal)
    if may_reveal:
        assert "90010112349" in response.content.decode()
        entry = AuditEntry.objects.get(action="view_sensitive")
        assert entry.changes == {"pesel": None} and entry.project_id == project.pk
    else:
        assert response.status_code == 403
        assert not AuditEntry.objects.filter(action="view_sensitive").exists()


def test_trainer_and_partner_cannot_decide(client, project):
    application = ApplicationFactory(project=project)
    for role in (Role.TRAINER, Role.PARTNER, Role.OFFICE):
        client.force_login(member(project, role))
        url = reverse("recruitment:decide", kwargs={"slug": project.slug, "pk": application.pk})
        assert client.post(url, {"decision": "accepted"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"


def test_rejection_without_reason_shows_polish_error(client, project):
    application = ApplicationFactory(project=project)
    client.force_login(member(project, Role.COORDINATOR))
    url = reverse("recruitment:decide", kwargs={"slug": project.slug, "pk": application.pk})
    response = client.post(url, {"decision": "rejected", "reason": ""}, follow=True)
    assert "Podaj uzasadnienie odrzucenia." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_office_records_withdrawal_and_confirms_the_offer(client, project):
    coordinator = member(project, Role.COORDINATOR)
    accepted, reserve = make(project, 2)
    services.decide(accepted, actor=coordinator, decision="accepted")
    services.decide(reserve, actor=coordinator, decision="reserve")
    office = member(project, Role.OFFICE)
    client.force_login(office)
    kwargs = {"slug": project.slug, "pk": accepted.pk}
    response = client.post(
        reverse("recruitment:withdraw", kwargs=kwargs), {"reason": "Rezygnacja"}, follow=True
    )
    assert (
        f"Miejsce zaproponowano osobie z listy rezerwowej: {reserve.person}."
        in response.content.decode()
    )
    reserve.refresh_from_db()
    assert reserve.status == "offered"
    client.post(reverse("recruitment:confirm", kwargs={"slug": project.slug, "pk": reserve.pk}))
    reserve.refresh_from_db()
    assert reserve.status == "accepted"
    assert Participant.objects.filter(
        project=project, person=reserve.person, end_date=None
    ).exists()
    assert (
        AuditEntry.objects.for_object(reserve).filter(actor=office).count() == 2
    )  # offered, accepted


def test_office_withdraws_a_consent(client, project):
    application = services.submit_application(
        project,
        person=PersonFactory.build(),
        target_group=project.target_groups.first(),
        consent_texts=services.required_consent_texts(project),
    )
    consent = application.consents.get(purpose="monitoring")
    office = member(project, Role.OFFICE)
    client.force_login(office)
    client.post(
        reverse("recruitment:withdraw_consent", kwargs={"slug": project.slug, "pk": consent.pk})
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert AuditEntry.objects.for_object(consent).get().actor == office


def test_detail_of_another_projects_application_is_404(client, project):
    other = ApplicationFactory()
    client.force_login(member(project, Role.COORDINATOR))
    assert (
        client.get(
            reverse("recruitment:detail", kwargs={"slug": project.slug, "pk": other.pk})
        ).status_code
        == 404
    )


def formset_data(response):
    """The rules page's forms as they would be posted back unchanged."""
    data = {}
    for name in ("rules_formset", "criteria_formset"):
        formset = response.context[name]
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            for field in form:
                value = field.value()
                if value is None or value is False:
                    continue
                if isinstance(value, list):
                    data[field.html_name] = [str(v) for v in value]
                else:
                    data[field.html_name] = "on" if value is True else str(value)
    return data


def test_coordinator_edits_rules_and_applications_are_checked_again(client, project):
    application = ApplicationFactory(
        project=project, target_group=project.target_groups.get(order=1)
    )
    coordinator = member(project, Role.COORDINATOR)
    client.force_login(coordinator)
    url = reverse("recruitment:rules", kwargs={"slug": project.slug})
    data = formset_data(client.get(url))
    age_form = next(
        i for i, rule in enumerate(project.eligibility_rules.all()) if rule.kind == "min_age"
    )
    data[f"rules-{age_form}-min_age"] = "40"
    data["criteria-4-kind"], data["criteria-4-points"], data["criteria-4-order"] = (
        "age_50_plus",
        "4",
        "9",
    )
    response = client.post(url, data, follow=True)
    assert (
        "Zasady zapisano; zgłoszenia sprawdzono ponownie, zmienionych: 1."
        in response.content.decode()
    )
    assert project.eligibility_rules.get(kind="min_age").min_age == 40
    assert project.scoring_criteria.get(kind="age_50_plus").points == 4
    application.refresh_from_db()
    assert application.is_eligible is False
    rule = project.eligibility_rules.get(kind="min_age")
    entry = AuditEntry.objects.for_object(rule).get()
    assert entry.actor == coordinator and entry.changes == {"min_age": [18, 40]}


def test_min_age_rule_needs_the_age(client, project):
    client.force_login(member(project, Role.COORDINATOR))
    url = reverse("recruitment:rules", kwargs={"slug": project.slug})
    data = formset_data(client.get(url))
    data["rules-3-kind"], data["rules-3-order"] = "min_age", "5"
    response = client.post(url, data)
    assert "Podaj minimalny wiek." in response.content.decode()
    assert project.eligibility_rules.count() == 3


def test_office_enters_a_paper_application(client, project):
    from tests.recruitment.test_public import person_data

    office = member(project, Role.OFFICE)
    client.force_login(office)
    url = reverse("recruitment:new", kwargs={"slug": project.slug})
    assert "Wprowadź zgłoszenie papierowe" in client.get(url).content.decode()
    response = client.post(url, person_data(project))
    application = Application.objects.get()
    assert response.url == reverse(
        "recruitment:detail", kwargs={"slug": project.slug, "pk": application.pk}
    )
    assert application.source == "paper"
    assert set(application.consents.values_list("source", flat=True)) == {"paper"}
    assert AuditEntry.objects.for_object(application).get(action="create").actor == office
    # under age: refused with the rule's explanation, nothing saved
    young = person_data(project, **{"s-pesel": "15230112340"})
    body = client.post(url, young).content.decode()
    assert "poniżej wymaganego minimum 18" in body
    assert Application.objects.count() == 1


def test_paper_application_with_a_known_pesel_is_not_linked_by_itself(client, project):
    from tests.recruitment.test_public import person_data

    known = PersonFactory(pesel="90010112349", first_name="Ewa", email="ewa@example.pl")
    client.force_login(member(project, Role.OFFICE))
    response = client.post(
        reverse("recruitment:new", kwargs={"slug": project.slug}), person_data(project)
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.person != known and application.identity == "to_check"
    known.refresh_from_db()
    assert (known.first_name, known.email) == ("Ewa", "ewa@example.pl")
    body = client.get(response.url).content.decode()
    assert "porównaj i zdecyduj" in body


def test_scoring_breakdown_hides_special_category_criteria_from_roles_without_the_permission(
    client, project
):
    application = ApplicationFactory(
        project=project,
        person=PersonFactory(disability="yes", labour_status="employed"),
        target_group=project.target_groups.get(order=1),
    )
    url = reverse("recruitment:detail", kwargs={"slug": project.slug, "pk": application.pk})
    client.force_login(member(project, Role.PARTNER))
    body = client.get(url).content.decode()
    assert "niepełnosprawności" not in body and ": 8</li>" not in body
    assert "Kryteria oparte na danych szczególnej kategorii nie są pokazywane" in body
    assert "kobieta: 5" in body
    client.force_login(member(project, Role.COORDINATOR))
    body = client.get(url).content.decode()
    assert "osoba z niepełnosprawnościami: 8" in body
    assert "nie są pokazywane" not in body


def test_history_shows_no_none_and_counts_are_a_row_of_figures(client, project):
    from tests.recruitment.test_services import submit

    application = submit(project, project.target_groups.get(order=1))
    coordinator = member(project, Role.COORDINATOR)
    services.decide(application, actor=coordinator, decision="reserve")
    client.force_login(coordinator)
    url = reverse("recruitment:detail", kwargs={"slug": project.slug, "pk": application.pk})
    history = " ".join(client.get(url).content.decode().split("<h2>Historia</h2>")[1].split())
    assert "None" not in history
    assert "utworzono; tożsamość: nowy rekord (formularz internetowy)" in history
    assert ": złożone → lista rezerwowa" in history
    listing = client.get(list_url(project)).content.decode()
    assert '<dl class="figures">' in listing
    assert '<dd><a href="?status=reserve">1</a></dd>' in listing
    with open("lider/static/css/lider.css") as css:
        assert "dl.figures { display: flex" in css.read()


def test_identity_page_shows_both_records_and_the_decision_is_refused_twice(client, project):
    from tests.recruitment.test_services import submit

    known = PersonFactory(first_name="Ewa", disability="yes")
    application = submit(
        project, project.target_groups.get(order=1), pesel=known.pesel, first_name="Inna"
    )
    url = reverse("recruitment:identity", kwargs={"slug": project.slug, "pk": application.pk})
    client.force_login(member(project, Role.OFFICE))
    body = client.get(url).content.decode()
    assert "Ewa" in body and "Inna" in body
    assert "(ukryte)" in body and ">tak<" not in body  # special-category answers masked
    assert client.post(url, {"action": "link"}).status_code == 200
    application.refresh_from_db()
    assert application.identity == "to_check"  # no record chosen: nothing changed
    assert client.post(url, {"action": "link", "record": known.pk}).status_code == 302
    assert client.post(url, {"action": "separate"}).status_code == 200
    application.refresh_from_db()
    assert (application.identity, application.person) == ("linked", known)


def test_scores_that_include_special_category_points_are_hidden_from_roles_without_the_permission(
    client, project
):
    application = ApplicationFactory(
        project=project,
        person=PersonFactory(disability="yes", labour_status="employed"),
        target_group=project.target_groups.get(order=1),
    )
    application.score = 9173
    application.save(update_fields=["score"])
    detail = reverse("recruitment:detail", kwargs={"slug": project.slug, "pk": application.pk})
    ranking = reverse("recruitment:ranking", kwargs={"slug": project.slug})
    client.force_login(member(project, Role.PARTNER))

    pages = [client.get(url).content.decode() for url in (list_url(project), detail, ranking)]

    assert all("9173" not in page.split("<main", 1)[1] for page in pages)
    assert "ranking jest widoczny tylko dla ról" in pages[2]
    client.force_login(member(project, Role.COORDINATOR))
    assert "<td>9173</td>" in client.get(list_url(project)).content.decode()
    assert "Punkty: 9173" in client.get(detail).content.decode()
