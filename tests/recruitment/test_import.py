import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from stdnum.pl import pesel as stdnum_pesel

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.people import matching
from lider.people.models import Participant, Person
from lider.recruitment import bulk_import
from lider.recruitment.models import Application, Consent
from tests.factories import ApplicationFactory, PersonFactory, member
from tests.people.test_importing import HEADER, check, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def csv_file(*rows):
    text = "\n".join(";".join(r) for r in [HEADER, *rows])
    return SimpleUploadedFile("osoby.csv", ("\ufeff" + text).encode("utf-8"), "text/csv")


def confirm(client, preview, data, follow=False):
    """Confirm the preview: the import job runs (inline, as with the immediate tasks backend)
    once the request's transaction commits; the response redirects to the job's page (or is
    that page, with ``follow``)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(preview, data)
    if follow and response.status_code == 302:
        return client.get(response.url)
    return response


def upload(client, project, file):
    """Upload the file: its check runs (inline, as with the immediate tasks backend) once the
    request's transaction commits; returns the preview's address."""
    group = project.target_groups.get(order=1).pk
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("recruitment:import", kwargs={"slug": project.slug}),
            {"file": file, "target_group": group},
        )
    assert response.status_code == 302
    return response.url


def test_office_imports_a_good_file_with_duplicates_skipped(client, project, tmp_path):
    ApplicationFactory(project=project, person=PersonFactory(pesel="05210512347"))
    PersonFactory(pesel="90010112349", first_name="Anna")  # from another project
    office = member(project, Role.OFFICE)
    client.force_login(office)
    preview = upload(
        client,
        project,
        csv_file(
            row(),
            row(PESEL="05210512347", Płeć="", **{"Data urodzenia": ""}),
            row(PESEL="", Płeć="M", **{"Data urodzenia": "1970-03-04"}) + [],
        ),
    )
    page = client.get(preview).content.decode()
    assert "Gotowe do importu: 1" in page or "Gotowe do importu" in page
    assert "Ten PESEL już jest w zgłoszeniach lub wśród uczestników projektu." in page
    # the third row has no PESEL and no document: an error
    assert "Podaj PESEL albo rodzaj i numer innego dokumentu tożsamości." in page
    job = confirm(client, preview, {"consents_signed": "on"}, follow=True).content.decode()
    assert "1 wiersz zawiera błędy, więc nic nie zaimportowano" in job
    assert f'href="{preview}"' in job  # back to the preview, which lists them
    assert Application.objects.count() == 1  # nothing imported while a row is bad
    assert list(tmp_path.joinpath("imports").iterdir())


def test_import_all_good_rows(client, project, tmp_path):
    known = PersonFactory(pesel="90010112349", first_name="Ewa")
    ApplicationFactory(project=project, person=PersonFactory(pesel="05210512347"))
    office = member(project, Role.OFFICE)
    client.force_login(office)
    preview = upload(
        client,
        project,
        csv_file(
            row(),
            row(PESEL="05210512347", Płeć="", **{"Data urodzenia": ""}),
            row(PESEL="", Płeć="M", **{"Data urodzenia": "1970-03-04", "E-mail": ""}),
        ),
    )
    # no document for the third row: make it valid by giving one
    assert "Podaj PESEL" in client.get(preview).content.decode()

    header = HEADER + ["Rodzaj dokumentu", "Numer dokumentu"]
    rows = [
        row() + ["", ""],
        row(PESEL="", Płeć="M", **{"Data urodzenia": "1970-03-04"}) + ["paszport", "AB123"],
    ]
    text = "\n".join(";".join(r) for r in [header, *rows])
    preview = upload(client, project, SimpleUploadedFile("b.csv", text.encode(), "text/csv"))
    page = client.get(preview).content.decode()
    # The first row's PESEL is Ewa's record (another project): shown with the differences.
    assert "Osoby już zapisane w Liderze" in page
    assert "<li>Imię: Ewa → Anna</li>" in page
    assert 'name="link" value="2"' in page
    response = confirm(client, preview, {"consents_signed": "on", "link": "2"}, follow=True)
    assert "Zaimportowano zgłoszenia: 2; pominięto duplikaty: 0." in response.content.decode()
    imported = Application.objects.filter(source="import").select_related("person")
    assert sorted(a.person.last_name for a in imported) == sorted(["Nowak", known.last_name])
    assert imported.get(person__pesel="90010112349").person == known  # linked, not doubled
    known.refresh_from_db()
    assert known.first_name == "Ewa"  # the record is not overwritten by the file
    assert Person.objects.filter(pesel="90010112349").count() == 1
    assert all(a.is_eligible for a in imported)
    # The verdicts go in as JSON text (COPY on PostgreSQL) and come back as lists of dicts.
    assert all(isinstance(a.eligibility, list) and a.eligibility for a in imported)
    assert all(isinstance(v, dict) for a in imported for v in a.eligibility)
    assert Consent.objects.filter(source="import").count() == 6
    entry = AuditEntry.objects.get(note__startswith="Imported %(count)s applications")
    assert entry.actor == office and entry.project_id == project.pk
    assert entry.note_text == "Zaimportowano zgłoszenia: 2 z pliku b.csv (nowe osoby: 1)."
    # Each person the file created has an entry of their own naming it (art. 5(2)).
    for person in Person.objects.filter(applications__source="import").exclude(pk=known.pk):
        created = AuditEntry.objects.get(object_id=str(person.pk), action="create")
        assert (created.actor, created.project_id) == (office, project.pk)
        assert created.note_text == "Utworzono przez import pliku b.csv (zapisane zgody: 3)."
        assert list(AuditEntry.objects.for_object(person)) == [created]
    link = AuditEntry.objects.get(object_id=str(known.pk), action="update")
    assert link.actor == office and link.project_id == project.pk
    assert link.note_text.startswith(
        "Zgłoszenie zaimportowane z b.csv (wiersz 2) powiązano z tą osobą"
    )
    assert not list(tmp_path.joinpath("imports").glob("*"))[1:]  # the file is gone after import


def test_preview_of_someone_elses_upload_is_404(client, project):
    client.force_login(member(project, Role.OFFICE))
    preview = upload(client, project, csv_file(row()))
    other = member(project, Role.OFFICE)
    client.force_login(other)
    assert client.get(preview).status_code == 404


def test_wrong_file_type_is_refused(client, project):
    client.force_login(member(project, Role.OFFICE))
    response = client.post(
        reverse("recruitment:import", kwargs={"slug": project.slug}),
        {"file": SimpleUploadedFile("osoby.pdf", b"%PDF", "application/pdf")},
    )
    assert "Wczytaj plik XLSX lub CSV." in response.content.decode()


def test_import_of_more_people_than_one_query_takes_creates_them_all(project, people_group):
    # Arrange: 1,200 good rows (more PESELs than SQLite takes in one query), one person known
    rows = []
    for n in range(1200):
        body = f"900101{n:04d}"
        pesel = body + stdnum_pesel.calc_check_digit(body)
        rows.append(row(PESEL=pesel, Płeć="", **{"E-mail": f"osoba{n}@example.pl"}))
    checked = check(rows)
    assert checked.errors == [] and len(checked.people) == 1200
    known = PersonFactory(pesel=checked.people[700].pesel, first_name="Ewa")

    # Act
    count = bulk_import.import_applications(
        project, people=checked.people, actor=None, consents_signed=True, target_group=people_group
    )

    # Assert
    pesels = {p.pesel for p in checked.people}
    imported = Application.objects.filter(project=project, source="import")
    assert count == 1200 and imported.count() == 1200
    assert set(imported.values_list("person__pesel", flat=True)) == pesels
    assert imported.get(person__pesel=known.pesel).person_id == known.pk  # linked, not doubled
    assert Person.objects.filter(pesel__in=pesels).count() == 1200
    person = Person.objects.get(pesel=checked.people[5].pesel)
    assert (person.first_name, person.email, person.gmina.code, person.postal_code) == (
        "Anna",
        "osoba5@example.pl",
        "2404052",
        "42-270",
    )
    assert not imported.filter(is_eligible=False).exists()
    assert Consent.objects.filter(application__project=project).count() == 3600
    created = AuditEntry.objects.filter(
        action="create",
        object_id__in=[str(p.pk) for p in Person.objects.filter(pesel__in=pesels - {known.pesel})],
    )
    assert created.count() == 1199 and not created.filter(object_id=str(known.pk)).exists()


def test_taken_pesels_are_those_of_applicants_and_participants_of_the_project(project):
    ApplicationFactory(project=project, person=PersonFactory(pesel="05210512347"))
    Participant.objects.create(project=project, person=PersonFactory(pesel="90010112349"))
    ApplicationFactory(person=PersonFactory())  # another project's applicant
    Participant.objects.create(
        project=project, person=PersonFactory(pesel="", other_document_number="X1")
    )

    assert bulk_import.taken_pesels(project) == {"05210512347", "90010112349"}


def test_a_hostile_file_gets_a_polish_message_in_the_preview(client, project):
    client.force_login(member(project, Role.OFFICE))
    content = ("Imię;Nazwisko;Gmina\n" + "x" * 140_000 + ";Nowak;2404052\n").encode()
    preview = upload(client, project, SimpleUploadedFile("osoby.csv", content, "text/csv"))
    response = client.get(preview)
    assert response.status_code == 200
    assert "Wiersz 2: komórka ma ponad 2000 znaków" in response.content.decode()
    job = confirm(client, preview, {"consents_signed": "on"}, follow=True).content.decode()
    assert "Wiersz 2: komórka ma ponad 2000 znaków" in job
    assert not Application.objects.exists()


def test_cancelling_deletes_the_file(client, project, tmp_path):
    client.force_login(member(project, Role.OFFICE))
    preview = upload(client, project, csv_file(row()))
    assert len(list(tmp_path.joinpath("imports").iterdir())) == 1
    response = client.post(preview + "anuluj/")
    assert response.status_code == 302
    assert list(tmp_path.joinpath("imports").iterdir()) == []
    assert client.get(preview).status_code == 404
    assert client.get(preview + "anuluj/").status_code == 405


def age_files(folder, seconds):
    for path in folder.iterdir():
        stat = path.stat()
        os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


def test_an_expired_preview_has_no_file_any_more(client, project, tmp_path, settings):
    settings.LIDER_IMPORT_PREVIEW_MINUTES = 30
    client.force_login(member(project, Role.OFFICE))
    preview = upload(client, project, csv_file(row()))
    age_files(tmp_path / "imports", 31 * 60)
    response = client.get(preview, follow=True)
    assert "Podgląd wygasł, a plik został usunięty: wczytaj go ponownie." in (
        response.content.decode()
    )
    assert list(tmp_path.joinpath("imports").iterdir()) == []
    assert confirm(client, preview, {"consents_signed": "on"}).status_code == 404
    assert not Application.objects.exists()


def test_abandoned_files_are_deleted_at_the_next_upload_and_by_the_command(
    client, project, tmp_path, settings
):
    settings.LIDER_IMPORT_PREVIEW_MINUTES = 30
    client.force_login(member(project, Role.OFFICE))
    upload(client, project, csv_file(row()))
    age_files(tmp_path / "imports", 31 * 60)
    upload(client, project, csv_file(row()))  # the abandoned one goes
    assert len(list(tmp_path.joinpath("imports").iterdir())) == 1
    upload(client, project, csv_file(row()))
    age_files(tmp_path / "imports", 29 * 60)  # not yet expired: both stay
    out = io.StringIO()
    call_command("purge_import_files", stdout=out)
    assert len(list(tmp_path.joinpath("imports").iterdir())) == 2
    assert "Deleted 0" in out.getvalue()
    age_files(tmp_path / "imports", 2 * 60)
    call_command("purge_import_files", stdout=out)
    assert list(tmp_path.joinpath("imports").iterdir()) == []
    assert "Deleted 2 import file(s) older than 30 minutes." in out.getvalue()


def test_a_second_submit_of_the_same_preview_imports_nothing_again(client, project):
    client.force_login(member(project, Role.OFFICE))
    preview = upload(client, project, csv_file(row()))
    first = confirm(client, preview, {"consents_signed": "on"})
    assert first.status_code == 302
    assert Application.objects.filter(project=project).count() == 1
    # The file went with the import: the stale form starts no second import.
    again = confirm(client, preview, {"consents_signed": "on"})
    assert again.url == reverse("recruitment:import", kwargs={"slug": project.slug})
    assert Application.objects.filter(project=project).count() == 1
    # Once the job's page was seen, the session forgets the preview.
    client.get(first.url)
    assert confirm(client, preview, {"consents_signed": "on"}).status_code == 404


def test_a_person_added_between_check_and_import_is_a_message_not_a_500(
    client, project, monkeypatch
):
    client.force_login(member(project, Role.OFFICE))
    preview = upload(client, project, csv_file(row()))
    real = matching.people_by_pesel

    def racing(pesels):  # the public form saves the same PESEL right after this lookup
        known = real(pesels)
        PersonFactory(pesel="90010112349")
        return known

    monkeypatch.setattr(matching, "people_by_pesel", racing)
    response = confirm(client, preview, {"consents_signed": "on"}, follow=True)
    assert "W międzyczasie dodano niektóre z tych osób" in response.content.decode()
    assert not Application.objects.exists()


def test_a_known_pesel_is_not_linked_unless_the_office_confirms(client, project):
    known = PersonFactory(pesel="90010112349", first_name="Ewa", email="ewa@example.pl")
    client.force_login(member(project, Role.OFFICE))
    body = row(PESEL="05210512347", Płeć="", **{"Data urodzenia": "", "E-mail": "b@x.pl"})
    preview = upload(client, project, csv_file(row(), body))
    page = client.get(preview).content.decode()
    assert "Już zapisane w Liderze (powiązane tylko, jeśli je zaznaczysz poniżej): 1." in page
    assert "<li>E-mail: ewa@example.pl → anna@example.pl</li>" in page
    response = confirm(client, preview, {"consents_signed": "on"}, follow=True)
    text = response.content.decode()
    assert "Zaimportowano zgłoszenia: 1; pominięto duplikaty: 0." in text
    assert "1 wiersza nie zaimportowano" in text or "Nie zaimportowano 1 wiersza" in text
    imported = Application.objects.filter(project=project)
    assert list(imported.values_list("person__pesel", flat=True)) == ["05210512347"]
    assert not Application.objects.filter(person=known).exists()
    known.refresh_from_db()
    assert (known.first_name, known.email) == ("Ewa", "ewa@example.pl")
    assert not AuditEntry.objects.filter(object_id=str(known.pk), action="update").exists()


def test_a_forged_link_to_a_row_that_is_not_a_match_links_nothing(client, project):
    known = PersonFactory(pesel="90010112349", first_name="Ewa")
    client.force_login(member(project, Role.OFFICE))
    body = row(PESEL="05210512347", Płeć="", **{"Data urodzenia": ""})
    preview = upload(client, project, csv_file(body, row()))
    confirm(client, preview, {"consents_signed": "on", "link": ["2", "x", "９", "99999999999"]})
    assert not Application.objects.filter(person=known).exists()
    assert Application.objects.filter(project=project).count() == 1


def test_a_person_saved_between_check_and_lookup_is_not_linked_unconfirmed(
    client, project, monkeypatch
):
    client.force_login(member(project, Role.OFFICE))
    preview = upload(client, project, csv_file(row()))
    real = matching.people_by_pesel

    def racing(pesels):  # the public form saves the same PESEL just before this lookup
        PersonFactory(pesel="90010112349", first_name="Intruz")
        return real(pesels)

    monkeypatch.setattr(matching, "people_by_pesel", racing)
    response = confirm(client, preview, {"consents_signed": "on"}, follow=True)
    # The import's check finds the person and holds the row back, unconfirmed.
    text = response.content.decode()
    assert "Zaimportowano zgłoszenia: 0" in text
    assert "Nie zaimportowano 1 wiersza" in text or "1 wiersza nie zaimportowano" in text
    assert not Application.objects.exists()
    assert list(Person.objects.values_list("first_name", flat=True)) == ["Intruz"]


def test_a_known_document_number_is_held_back_and_linked_only_when_confirmed(client, project):
    known = PersonFactory(
        pesel="", other_document_type="paszport", other_document_number="AB 123", first_name="Ewa"
    )
    client.force_login(member(project, Role.OFFICE))
    header = HEADER + ["Rodzaj dokumentu", "Numer dokumentu"]
    rows = [row(PESEL="", Płeć="M", **{"Data urodzenia": "1970-03-04"}) + ["paszport", "ab123"]]
    text = "\n".join(";".join(r) for r in [header, *rows])
    preview = upload(client, project, SimpleUploadedFile("d.csv", text.encode(), "text/csv"))
    page = client.get(preview).content.decode()
    assert "Osoby już zapisane w Liderze" in page and 'name="link" value="2"' in page
    response = confirm(client, preview, {"consents_signed": "on", "link": "2"}, follow=True)
    assert "Zaimportowano zgłoszenia: 1" in response.content.decode()
    application = Application.objects.get(source="import")
    assert (application.person, application.identity) == (known, "linked")
    assert Person.objects.count() == 1  # linked, not doubled
    known.refresh_from_db()
    assert known.first_name == "Ewa"  # the file does not overwrite the record


def test_a_document_number_given_twice_is_a_duplicate_not_a_known_person(
    client, project, monkeypatch
):
    # One row per chunk: the second row is checked after the first has been written.
    monkeypatch.setattr("lider.core.table_reader.CHUNK_ROWS", 1)
    client.force_login(member(project, Role.OFFICE))
    header = HEADER + ["Rodzaj dokumentu", "Numer dokumentu"]
    no_pesel = row(PESEL="", Płeć="M", **{"Data urodzenia": "1970-03-04"})
    rows = [no_pesel + ["paszport", "AB 123"], no_pesel + ["paszport", "ab123"]]
    text = "\n".join(";".join(r) for r in [header, *rows])
    preview = upload(client, project, SimpleUploadedFile("d.csv", text.encode(), "text/csv"))
    page = client.get(preview).content.decode()
    assert "Ten sam numer dokumentu co w wierszu 2." in page
    assert "Osoby już zapisane w Liderze" not in page
    response = confirm(client, preview, {"consents_signed": "on"}, follow=True)
    assert "Zaimportowano zgłoszenia: 1" in response.content.decode()
    assert [a.identity for a in Application.objects.filter(source="import")] == ["new"]
    assert Person.objects.filter(other_document_number="AB 123").count() == 1
    assert Person.objects.count() == 1
