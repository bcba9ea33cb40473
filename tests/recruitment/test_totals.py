"""The kept counts of a project's applications (ApplicationTotal): moved by every service that
writes an application, equal to a fresh count, rebuilt by the command, read by the summary."""

import datetime
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from stdnum.pl import pesel as stdnum_pesel

from lider.core.permissions import Role
from lider.recruitment import bulk_import, identity, queries, services, totals
from lider.recruitment.models import ApplicationTotal, EligibilityRule
from lider.territory.queries import unit_by_code
from tests.factories import ApplicationFactory, PersonFactory, member
from tests.people.test_importing import check, row
from tests.recruitment.test_services import submit
from tests.recruitment.test_views import _counted_row_by_row

pytestmark = pytest.mark.django_db

FILTERS = [
    {},
    {"status": "accepted"},
    {"status": "reserve", "eligible": "yes"},
    {"eligible": "no"},
    {"identity": "to_check"},
    {"status": "submitted", "eligible": "no", "identity": "new"},
]


def _mixed(project, group):
    """Applications of every kind, each through the service that writes it: submissions
    (new, to check), decisions, an offer and a withdrawal, a link, a record
    kept separate, an import, and a recheck of the rules (a minimum age of 60, which turns
    the younger applications ineligible)."""
    office = member(project, Role.OFFICE)
    fresh = [submit(project, group) for _ in range(4)]
    fresh += [submit(project, group, birth_date=datetime.date(1940, 1, 1)) for _ in range(2)]
    known = [PersonFactory() for _ in range(3)]
    to_check = [submit(project, group, pesel=person.pesel) for person in known]
    services.decide(fresh[0], actor=office, decision="accepted")
    services.decide(fresh[1], actor=office, decision="reserve")
    services.decide(fresh[2], actor=office, decision="rejected", reason="Brak miejsc")
    services.decide(fresh[3], actor=office, decision="reserve")
    offered = services.withdraw(fresh[0], actor=office, reason="Przeprowadzka")
    services.confirm_offer(offered, actor=office)
    identity.link_applicant(to_check[0], actor=office, to=known[0])
    identity.keep_separate(to_check[1], actor=office)
    rows = []
    for n in range(5):
        body = f"850505{n:04d}"
        rows.append(row(PESEL=body + stdnum_pesel.calc_check_digit(body), Płeć=""))
    bulk_import.import_applications(
        project, people=check(rows).people, actor=None, consents_signed=True, target_group=group
    )
    EligibilityRule.objects.create(project=project, order=9, kind="min_age", min_age=60)
    services.recheck_project(project, actor=office)
    return office


def test_the_kept_counts_equal_a_fresh_count_after_a_mix_of_changes(project, people_group):
    ApplicationFactory(status="rejected")  # another project's: counted apart

    _mixed(project, people_group)

    assert totals.stale() == 0
    assert totals.stored() == totals.fresh()
    kinds = {(s, e, i) for _, s, e, i in totals.fresh(project)}
    assert {"accepted", "withdrawn", "rejected", "submitted"} <= {s for s, _, _ in kinds}
    assert {"new", "to_check", "linked", "separate"} <= {i for _, _, i in kinds}
    assert {True, False} <= {e for _, e, _ in kinds}
    for filters in FILTERS:
        applications = queries.filtered(queries.applications_for(project), **filters)
        expected = _counted_row_by_row(applications)
        assert queries.summary(project, applications, **filters) == expected, filters
    kept = totals.stored()
    ApplicationTotal.objects.all().delete()
    totals.rebuild()
    assert totals.stored() == kept


def test_a_county_or_target_group_is_counted_from_the_applications(project, people_group):
    _mixed(project, people_group)
    ApplicationTotal.objects.all().delete()  # not read for these

    for filters in [{"county": unit_by_code("2404").pk}, {"target_group": people_group.pk}]:
        applications = queries.filtered(queries.applications_for(project), **filters)
        expected = _counted_row_by_row(applications)
        assert expected["total"]
        assert queries.summary(project, applications, **filters) == expected


def test_the_list_reads_the_kept_counts(client, project, people_group):
    submit(project, people_group)
    ApplicationTotal.objects.filter(project=project).update(applications=41)
    client.force_login(member(project, Role.OFFICE))

    response = client.get(reverse("recruitment:list", kwargs={"slug": project.slug}))

    assert response.context["counts"]["total"] == 41  # the kept figure, not a count
    assert response.context["counts"]["submitted"] == 41


def test_the_command_rebuilds_stale_counts(project, people_group):
    submit(project, people_group)
    ApplicationFactory(project=project)
    ApplicationTotal.objects.filter(project=project).update(applications=1)  # one missed
    out = io.StringIO()

    call_command("rebuild_aggregates", "--dry-run", stdout=out)
    assert totals.stale(project) == 1
    assert "liczby zgłoszeń różniące się od rekordów: 1" in out.getvalue()
    call_command("rebuild_aggregates", "--project", project.slug, stdout=out)

    assert totals.stale(project) == 0
    assert totals.stored(project) == {(project.pk, "submitted", True, "new"): 2}


def test_the_migration_counts_the_applications_there_are(project, people_group):
    _mixed(project, people_group)
    other = ApplicationFactory(status="rejected").project
    expected = totals.fresh()
    ApplicationTotal.objects.filter(project=project).delete()
    ApplicationTotal.objects.filter(project=other).update(applications=7)  # kept stays
    migration = importlib.import_module("lider.recruitment.migrations.0008_application_totals")

    migration.fill_application_totals(django_apps, connection.schema_editor())

    assert totals.stored(project) == totals.fresh(project)
    assert totals.stored(other) == dict.fromkeys(totals.fresh(other), 7)
    totals.rebuild()
    assert totals.stored() == expected


# The modules that write applications, each keeping the counts (recruitment.totals): a guard
# over the source, as tests/people/test_single_writer.py is for people. Erasure blanks only
# the PESEL and e-mail, which are not counted; the demo rebuilds the counts after it writes.
WRITERS = {
    "recruitment/services.py",
    "recruitment/identity.py",
    "recruitment/bulk_import.py",
    "website/erasure.py",
    "website/demo/recruitment.py",
}


def test_applications_are_written_only_where_the_counts_are_kept(monkeypatch):
    from pathlib import Path

    import lider
    from tests.people import test_single_writer as guard

    monkeypatch.setattr(guard, "MODELS", {"Application"})
    monkeypatch.setattr(guard, "NAMES", {"application", "applications"})
    root = Path(lider.__file__).parent
    writers = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and guard.writes_in(path.read_text(encoding="utf-8"))
    }
    assert writers == WRITERS
