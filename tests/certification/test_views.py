import io

import pypdfium2
import pytest
import xlsxwriter
import zxingcpp
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from lider.certification import issuing, services
from lider.certification.models import Certificate, CompletionRule, TestScore
from lider.core.models import AuditEntry
from lider.core.permissions import Role
from tests.certification.conftest import make_training
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _url(name, training, **kwargs):
    return reverse(f"certification:{name}", kwargs={"slug": training.project.slug, **kwargs})


def _issue_all(training):
    services.save_completion_rule(
        training.task, actor=None, conditions={"all": [{"attendance": 80}]}
    )
    return [
        issuing.issue_certificate(training.task, p, actor=None, notify=False)
        for p in training.participants
    ]


def _qr_texts(pdf: bytes, page: int = 0) -> list[str]:
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=3).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_coordinator_sets_the_rule_in_a_form(client, training, coordinator):
    client.force_login(coordinator)
    url = _url("rule", training, task_pk=training.task.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "combine": "all",
            "attendance": "80",
            "post_test": "60",
            "sessions": [str(training.sessions[0].pk)],
        },
    )
    assert response.status_code == 302
    rule = CompletionRule.objects.get(task=training.task)
    assert rule.conditions == {
        "all": [{"attendance": 80}, {"sessions": [training.sessions[0].pk]}, {"post_test": 60}]
    }
    page = client.get(_url("task", training, task_pk=training.task.pk)).content.decode()
    assert "obecność ≥ 80 %" in page and "test końcowy ≥ 60 %" in page
    assert "test końcowy: brak wyniku ✗" in page


def test_empty_rule_form_is_refused(client, training, coordinator):
    client.force_login(coordinator)
    response = client.post(_url("rule", training, task_pk=training.task.pk), {"combine": "all"})
    assert response.status_code == 200
    assert "Ustaw co najmniej jeden warunek." in response.content.decode()
    assert not CompletionRule.objects.exists()


def test_bulk_issue_in_the_browser_lists_who_does_not_meet_the_rule(
    client, training, coordinator, django_capture_on_commit_callbacks
):
    services.save_completion_rule(
        training.task, actor=None, conditions={"all": [{"attendance": 80}]}
    )
    training.attend(training.participants[2], 2)
    client.force_login(coordinator)
    task_url = _url("task", training, task_pk=training.task.pk)
    page = client.get(task_url).content.decode()
    assert "2 z 3 uczestników spełnia warunek." in page
    assert "Wydaj 2 brakujące zaświadczenia" in page
    assert f"{training.participants[2].person.full_name}: obecność 40 % &lt; 80 % ✗" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("bulk_issue", training, task_pk=training.task.pk))
    run_url = response.url
    progress = client.get(run_url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="progress"' in progress and "<html" not in progress
    assert "zakończone: 2 z 2 zaświadczeń" in progress
    assert "hx-trigger" not in progress  # finished: the page stops polling
    assert Certificate.objects.filter(task=training.task).count() == 2
    pdf = client.get(_url("task_pdf", training, task_pk=training.task.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert len(pypdfium2.PdfDocument(pdf.content)) == 4
    assert AuditEntry.objects.filter(action="export", project_id=training.project.pk).count() == 1


def test_running_bulk_issue_polls_its_progress(client, training, coordinator):
    from lider.certification.models import BulkIssueRun

    run = BulkIssueRun.objects.create(
        task=training.task, issued_on="2010-12-20", status="running", total=99, done=40
    )
    client.force_login(coordinator)
    html = client.get(_url("run", training, pk=run.pk)).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert '<progress value="40" max="99">' in html


def test_certificate_qr_opens_the_verification_page(client, training):
    certificate = _issue_all(training)[0]
    staff = member(training.project, Role.OFFICE)
    client.force_login(staff)
    pdf = client.get(_url("pdf", training, pk=certificate.pk)).content
    [url] = _qr_texts(pdf)
    assert AuditEntry.objects.for_object(certificate).filter(action="export").count() == 1
    assert url == f"http://127.0.0.1:8000/weryfikacja/{certificate.code}/"
    client.logout()
    page = client.get(url.removeprefix("http://127.0.0.1:8000")).content.decode()
    assert "To zaświadczenie jest ważne." in page
    for fact in [
        certificate.full_name,
        "Cykl szkoleń „Lider ekonomii społecznej”",
        "40",
        certificate.number,
        training.project.title,
        "20.12.2010"
        if certificate.issued_on.year == 2010
        else certificate.issued_on.strftime("%d.%m.%Y"),
    ]:
        assert fact in page


def test_revoked_certificate_shows_as_revoked_with_its_date(client, training, coordinator):
    certificate = _issue_all(training)[0]
    client.force_login(coordinator)
    url = _url("revoke", training, pk=certificate.pk)
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Dane uczestnika były błędne"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    client.logout()
    page = client.get(f"/weryfikacja/{certificate.code}/").content.decode()
    date = certificate.revoked_at.astimezone().strftime("%d.%m.%Y")
    assert f"To zaświadczenie zostało unieważnione dnia {date}." in page
    assert "To zaświadczenie jest ważne." not in page


def test_verification_accepts_any_case_spaces_and_dashes(client, training):
    certificate = _issue_all(training)[0]
    typed = f" {certificate.grouped_code.lower()} ".replace("-", " - ")
    response = client.get("/weryfikacja/", {"code": typed})
    assert response.status_code == 302
    assert response.url == f"/weryfikacja/{certificate.code}/"
    messy = client.get(f"/weryfikacja/{certificate.grouped_code.lower()}/")
    assert messy.url == f"/weryfikacja/{certificate.code}/"


def test_verification_in_english(client, training):
    certificate = _issue_all(training)[0]
    page = client.get(f"/en/verification/{certificate.code}/").content.decode()
    assert "This certificate is valid." in page


def test_unknown_code_is_a_polish_404(client, db):
    response = client.get("/weryfikacja/ABCDEFGHJK/")
    assert response.status_code == 404
    assert "Żadne zaświadczenie nie ma kodu ABCD-EFGH-JK." in response.content.decode()


def test_verification_is_rate_limited_per_address(client, db, settings):
    for _n in range(30):
        assert client.get("/weryfikacja/ABCDEFGHJK/").status_code == 404
    response = client.get("/weryfikacja/ABCDEFGHJK/")
    assert response.status_code == 429
    assert "Z Twojego adresu sprawdzono zbyt wiele zaświadczeń." in response.content.decode()
    other = client.get("/weryfikacja/ABCDEFGHJK/", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 404


def test_verification_survives_anonymisation(client, training):
    certificate = _issue_all(training)[0]
    person = training.participants[0].person
    person.first_name, person.last_name, person.email = "X", "X", ""
    person.save(update_fields=["first_name", "last_name", "email"])
    page = client.get(f"/weryfikacja/{certificate.code}/").content.decode()
    assert certificate.full_name in page and certificate.full_name != "X X"


def test_detail_flags_a_changed_evaluation(client, training, coordinator):
    certificate = _issue_all(training)[0]
    client.force_login(coordinator)
    url = _url("detail", training, pk=certificate.pk)
    assert "Obecna ocena jest taka sama jak w dniu wydania." in client.get(url).content.decode()
    training.attend(training.participants[0], 3)
    page = client.get(url).content.decode()
    assert "Obecna ocena różni się od oceny z dnia wydania." in page
    assert "obecność 60 % &lt; 80 % ✗" in page


def test_scores_page_saves_every_row_in_one_post(client, training, coordinator):
    client.force_login(coordinator)
    url = _url("scores", training, task_pk=training.task.pk)
    first, second, third = training.participants
    data = {
        f"pre-{first.pk}": "40",
        f"post-{first.pk}": "85,5",
        f"pre-{second.pk}": "50",
        f"post-{second.pk}": "70",
        f"pre-{third.pk}": "",
        f"post-{third.pk}": "",
    }
    assert client.post(url, data).status_code == 302
    assert TestScore.objects.count() == 2
    assert str(TestScore.objects.get(participant=first).post_test) == "85.50"
    assert AuditEntry.objects.filter(action="create", project_id=training.project.pk).count() == 2
    page = client.get(url).content.decode()
    assert "Przyrost wiedzy" in page and "32,8" in page  # (45.5 + 20) / 2


def test_scores_page_marks_a_bad_value_and_saves_nothing(client, training, coordinator):
    client.force_login(coordinator)
    first, second, _third = training.participants
    response = client.post(
        _url("scores", training, task_pk=training.task.pk),
        {f"pre-{first.pk}": "40", f"post-{first.pk}": "abc", f"post-{second.pk}": "70"},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not TestScore.objects.exists()


@pytest.mark.parametrize("hostile", ["1e309", "nan", "100,5", "1" * 200, "4\x000", "inf"])
def test_scores_page_refuses_hostile_values_without_a_500(client, training, coordinator, hostile):
    client.force_login(coordinator)
    first, second, _third = training.participants
    response = client.post(
        _url("scores", training, task_pk=training.task.pk),
        {f"pre-{first.pk}": "40", f"post-{first.pk}": hostile, f"post-{second.pk}": "70"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('aria-invalid="true"') == 2  # the first row's two inputs only
    assert "Wpisz wartość procentową od 0 do 100." in page
    assert not TestScore.objects.exists()


def test_scores_page_saves_minus_zero_as_zero(client, training, coordinator):
    client.force_login(coordinator)
    first = training.participants[0]
    url = _url("scores", training, task_pk=training.task.pk)
    assert client.post(url, {f"pre-{first.pk}": "-0", f"post-{first.pk}": "0"}).status_code == 302
    score = TestScore.objects.get(participant=first)
    assert (str(score.pre_test), str(score.post_test)) == ("0.00", "0.00")


def test_trainer_enters_scores_only_for_a_task_they_teach(client, training):
    trainer = member(training.project, Role.TRAINER)
    client.force_login(trainer)
    url = _url("scores", training, task_pk=training.task.pk)
    assert client.get(url).status_code == 403
    training.sessions[0].trainers.add(trainer)
    assert client.get(url).status_code == 200


def test_scores_import_page_lists_every_bad_row(client, training, coordinator):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    for r, row in enumerate([["PESEL", "Pre-test", "Post-test"], ["00000000000", 1, 2]]):
        sheet.write_row(r, 0, row)
    workbook.close()
    buffer.seek(0)
    buffer.name = "wyniki.xlsx"
    client.force_login(coordinator)
    response = client.post(
        _url("scores_import", training, task_pk=training.task.pk), {"file": buffer}
    )
    assert response.status_code == 200
    assert "Wiersz 2, kolumna „PESEL”" in response.content.decode()


def test_register_xlsx_is_audited_and_lists_revoked(client, training, coordinator):
    certificates = _issue_all(training)
    issuing.revoke_certificate(certificates[1], actor=coordinator, reason="pomyłka")
    auditor = member(training.project, Role.AUDITOR)
    client.force_login(auditor)
    response = client.get(_url("register_xlsx", training))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[0] == [
        "Lp.",
        "Numer",
        "Uczestnik",
        "Zadanie",
        "Data wydania",
        "Status",
        "Data unieważnienia",
        "Przyczyna unieważnienia",
    ]
    assert [row[1] for row in rows[1:]] == [c.number for c in certificates]
    assert rows[2][5] == "unieważnione" and rows[2][7] == "pomyłka"
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == auditor and entry.note_text == "rejestr zaświadczeń, wierszy: 3"
    assert entry.note == "register of certificates, %(count)s rows"


def _queries(client, url) -> int:
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(training, extra: int) -> None:
    """Add participants who attended everything, with scores and certificates."""
    for _n in range(extra):
        participant = training.add_participant()
        services.save_test_scores(training.task, actor=None, scores={participant.pk: (40, 80)})
        issuing.issue_certificate(training.task, participant, actor=None, notify=False)


@pytest.mark.parametrize("name", ["overview", "task", "scores"])
def test_list_views_query_count_is_the_same_for_1_and_3_rows(client, name):
    training = make_training(people=1)
    _issue_all(training)
    services.save_test_scores(
        training.task, actor=None, scores={training.participants[0].pk: (40, 80)}
    )
    client.force_login(member(training.project, Role.COORDINATOR))
    kwargs = {} if name == "overview" else {"task_pk": training.task.pk}
    url = _url(name, training, **kwargs)
    one = _queries(client, url)
    _grow(training, 2)
    assert Certificate.objects.count() == 3
    assert _queries(client, url) == one


def test_zip_holds_each_valid_certificate_as_its_own_pdf(client, training, coordinator):
    import io
    import zipfile

    certificates = _issue_all(training)
    client.force_login(coordinator)
    response = client.get(_url("task_zip", training, task_pk=training.task.pk))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names == sorted(issuing.attachment_name(c) for c in certificates)
    for name in names:
        assert len(pypdfium2.PdfDocument(archive.read(name))) == 2
    entry = AuditEntry.objects.get(action="export", project_id=training.project.pk)
    assert entry.actor == coordinator


@pytest.mark.parametrize("whole", [100, 0], ids=["evaluated whole", "paged"])
@pytest.mark.parametrize("people", [1, 3])
def test_the_task_page_takes_the_same_queries_at_any_size(
    client, people, whole, monkeypatch, django_assert_num_queries
):
    """The certificates page of a task reads one page of participants (their facts, evaluation
    and certificate) by name; a task larger than EVALUATED_WHOLE is not evaluated whole for
    the summary, which then shows its counts."""
    from lider.certification import queries

    monkeypatch.setattr(queries, "EVALUATED_WHOLE", whole)
    training = make_training(people=people)
    services.save_completion_rule(
        training.task, actor=None, conditions={"all": [{"attendance": 80}]}
    )
    issuing.issue_certificate(training.task, training.participants[0], actor=None, notify=False)
    coordinator = member(training.project, Role.COORDINATOR)
    client.force_login(coordinator)
    url = _url("task", training, task_pk=training.task.pk)
    client.get(url)

    with django_assert_num_queries(22 if whole else 18):
        response = client.get(url)

    assert [s.participant for s in response.context["page"]] == sorted(
        training.participants, key=lambda p: (p.person.last_name, p.person.first_name, p.pk)
    )
    page = response.content.decode()
    if whole:
        assert f"{people} z {people} uczestników spełnia warunek." in page
    else:
        assert "z ważnym zaświadczeniem: 1." in page
        assert "Wydaj brakujące zaświadczenia" in page
