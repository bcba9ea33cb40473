import datetime
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.core import mail
from django.core.exceptions import ValidationError

from lider.certification import issuing, printing, queries, rules, services
from lider.certification.models import BulkIssueRun, Certificate, CertificateSeries, TestScore
from lider.core.models import AuditEntry
from lider.delivery import aggregates
from lider.delivery.models import Attendance
from tests.certification.conftest import make_training

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2010, 12, 20, 10, 0, tzinfo=datetime.UTC)


def _rule(training, conditions=None, actor=None):
    return services.save_completion_rule(
        training.task, actor=actor, conditions=conditions or {"all": [{"attendance": 80}]}
    )


def test_rule_validation_refuses_malformed_trees():
    for tree in [
        {},
        {"all": []},
        {"attendance": 120},
        {"attendance": True},
        {"sessions": []},
        {"sessions": ["x"]},
        {"unknown": 1},
        {"all": [{"any": [{"all": [{"any": [{"attendance": 1}]}]}]}]},
    ]:
        with pytest.raises(ValidationError) as caught:
            rules.validate(tree)
        assert caught.value.code == "rule", tree


def test_rule_explains_itself_in_polish():
    facts = rules.Facts(share=Decimal("85"), post_test=Decimal("72"))
    result = rules.evaluate({"all": [{"attendance": 80}, {"post_test": 60}]}, facts)
    assert result.met is True
    assert result.explanation == "obecność 85 % ≥ 80 % ✓; test końcowy 72 % ≥ 60 % ✓"


def test_rule_any_of_with_sessions_and_missing_test():
    facts = rules.Facts(share=Decimal("70.5"), sessions_attended=frozenset({7}))
    tree = {"any": [{"attendance": 80}, {"all": [{"sessions": [7]}, {"post_test": 50}]}]}
    result = rules.evaluate(tree, facts, sessions={7: "„Marketing” (01.03.2010)"})
    assert result.met is False
    assert result.explanation == (
        "co najmniej jeden z warunków: (obecność 70,5 % < 80 % ✗; wszystkie z warunków: "
        "(„Marketing” (01.03.2010): obecny(a) ✓; test końcowy: brak wyniku ✗) ✗) ✗"
    )
    assert result.inputs["sessions_attended"] == [7]


def test_save_rule_versions_changes_and_audits(training, coordinator):
    rule = _rule(training, actor=coordinator)
    assert rule.version == 1
    again = _rule(training, actor=coordinator)
    assert again.version == 1
    changed = _rule(training, {"all": [{"attendance": 90}]}, actor=coordinator)
    assert changed.version == 2
    actions = list(AuditEntry.objects.for_object(rule).values_list("action", flat=True))
    assert sorted(actions) == ["create", "update"]


def test_rule_naming_a_session_of_another_task_is_refused(training):
    other = make_training(people=0, sessions=1)
    with pytest.raises(ValidationError):
        _rule(training, {"sessions": [other.sessions[0].pk]})


def test_facts_count_training_hours_of_the_group(training):
    training.attend(training.participants[1], 4)
    facts = queries.participant_facts(training.task)
    # Five sessions of 6 clock hours = 8 training hours each.
    assert facts[training.participants[0].pk].hours_total == Decimal("40.00")
    assert facts[training.participants[1].pk].hours_attended == Decimal("32.00")
    assert facts[training.participants[1].pk].share == Decimal("80.00")


def test_issue_certificate_numbers_snapshots_and_audits(training, coordinator):
    services.set_number_pattern(
        training.project, actor=coordinator, pattern="LRES/{year}/{seq:03d}"
    )
    _rule(training)
    first, second = training.participants[:2]
    one = issuing.issue_certificate(
        training.task, first, actor=coordinator, issued_at=AT, notify=False
    )
    two = issuing.issue_certificate(
        training.task, second, actor=coordinator, issued_at=AT, notify=False
    )
    assert [one.number, two.number] == ["LRES/2010/001", "LRES/2010/002"]
    assert one.issued_on == datetime.date(2010, 12, 20)
    assert one.full_name == first.person.full_name
    assert one.hours == Decimal("40.00")
    assert one.programme == [
        ["Ekonomia społeczna", "24.00"],
        ["Zakładanie spółdzielni", "8.00"],
        ["Marketing", "8.00"],
    ]
    assert one.place == "Myszków"
    assert (one.start_date, one.end_date) == (datetime.date(2010, 3, 1), datetime.date(2010, 3, 29))
    assert one.evaluation["met"] is True
    assert one.evaluation["rule_version"] == 1
    assert one.evaluation["explanation"] == "obecność 100 % ≥ 80 % ✓"
    assert len(one.code) == 10 and not set(one.code) & set("0O1IL")
    assert one.verification_url == f"http://127.0.0.1:8000/weryfikacja/{one.code}/"
    assert one.sha256 == printing.checksum(printing.render([one]))
    assert AuditEntry.objects.for_object(one).filter(action="create").count() == 1


def test_issue_is_idempotent(training):
    _rule(training)
    participant = training.participants[0]
    one = issuing.issue_certificate(training.task, participant, actor=None, notify=False)
    again = issuing.issue_certificate(training.task, participant, actor=None, notify=False)
    assert again.pk == one.pk
    assert Certificate.objects.count() == 1
    assert CertificateSeries.objects.get().last_sequence == 1


def test_issue_refuses_who_does_not_meet_the_rule_and_keeps_the_number(training):
    _rule(training)
    training.attend(training.participants[0], 3)  # 60 %
    with pytest.raises(ValidationError) as caught:
        issuing.issue_certificate(training.task, training.participants[0], actor=None, notify=False)
    assert caught.value.code == "not_met"
    assert "obecność 60 % < 80 % ✗" in caught.value.messages[0]
    two = issuing.issue_certificate(
        training.task, training.participants[1], actor=None, notify=False
    )
    assert two.sequence == 1


def test_issue_without_rule_is_refused(training):
    with pytest.raises(ValidationError) as caught:
        issuing.issue_certificate(training.task, training.participants[0], actor=None)
    assert caught.value.code == "no_rule"


def test_issue_mails_the_certificate_in_polish(training, django_capture_on_commit_callbacks):
    _rule(training)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issuing.issue_certificate(training.task, training.participants[0], actor=None)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [training.participants[0].person.email]
    assert message.subject == f"Twoje zaświadczenie: {certificate.training_title}"
    assert certificate.grouped_code in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert printing.checksum(content) == certificate.sha256


def test_revoke_keeps_the_record_and_frees_the_place(training, coordinator):
    _rule(training)
    participant = training.participants[0]
    certificate = issuing.issue_certificate(training.task, participant, actor=None, notify=False)
    with pytest.raises(ValidationError):
        issuing.revoke_certificate(certificate, actor=coordinator, reason="  ")
    revoked = issuing.revoke_certificate(certificate, actor=coordinator, reason="Błędne dane")
    assert revoked.status == "revoked" and revoked.revoked_by == coordinator
    assert revoked.revoked_at is not None
    entry = AuditEntry.objects.for_object(certificate).get(action="status")
    assert entry.changes == {"status": ["issued", "revoked"]} and entry.note == "Błędne dane"
    with pytest.raises(ValidationError):
        issuing.revoke_certificate(revoked, actor=coordinator, reason="znowu")
    new = issuing.issue_certificate(training.task, participant, actor=None, notify=False)
    assert new.pk != certificate.pk and new.sequence == 2


def test_bulk_issue_issues_only_the_eligible_and_only_once(
    training, coordinator, django_capture_on_commit_callbacks
):
    _rule(training)
    training.attend(training.participants[2], 1)
    with django_capture_on_commit_callbacks(execute=True):
        run = issuing.start_bulk_issue(training.task, actor=coordinator)
    run.refresh_from_db()
    assert (run.status, run.total, run.done) == ("done", 2, 2)
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2]
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        again = issuing.start_bulk_issue(training.task, actor=coordinator)
    again.refresh_from_db()
    assert (again.status, again.total, again.done) == ("done", 0, 0)
    assert Certificate.objects.count() == 2


def test_interrupted_bulk_run_resumes_without_gaps(training, monkeypatch):
    _rule(training)
    training.add_participant()
    real = issuing._issue_chunk
    monkeypatch.setattr(issuing, "CHUNK", 1)
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ValidationError("przerwano", code="interrupted")
        return real(*args, **kwargs)

    monkeypatch.setattr(issuing, "_issue_chunk", failing)
    run = BulkIssueRun.objects.create(task=training.task, issued_on=datetime.date(2010, 12, 20))
    with pytest.raises(ValidationError):
        issuing.run_bulk_issue(run, notify=False)
    run.refresh_from_db()
    assert (run.status, run.done, run.total) == ("failed", 2, 4)
    monkeypatch.setattr(issuing, "_issue_chunk", real)
    resumed = BulkIssueRun.objects.create(task=training.task, issued_on=datetime.date(2010, 12, 20))
    issuing.run_bulk_issue(resumed, notify=False)
    assert (resumed.total, resumed.done) == (2, 2)
    assert list(Certificate.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_save_test_scores_audits_and_computes_gain_in_the_database(training, coordinator):
    first, second, third = training.participants
    changed = services.save_test_scores(
        training.task,
        actor=coordinator,
        scores={first.pk: ("40", "80"), second.pk: ("50", "70"), third.pk: (None, None)},
    )
    assert changed == 2
    assert (
        services.save_test_scores(training.task, actor=coordinator, scores={first.pk: ("40", "80")})
        == 0
    )
    services.save_test_scores(training.task, actor=coordinator, scores={first.pk: ("40", "90")})
    assert TestScore.objects.get(participant=first).post_test == Decimal("90.00")
    assert AuditEntry.objects.filter(action="update").count() == 1
    gain = queries.knowledge_gain(training.task)
    assert (gain["people"], gain["gain"]) == (2, Decimal("35"))
    [group] = queries.knowledge_gain_by_group(training.task)
    assert group["participant__enrolments__group__name"] == "Grupa Myszków"
    assert group["gain"] == Decimal("35")
    with pytest.raises(ValidationError):
        services.save_test_scores(training.task, actor=coordinator, scores={first.pk: ("101", "")})


def _xlsx(rows) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    workbook.close()
    buffer.seek(0)
    return buffer


def test_import_scores_by_pesel_and_by_name(training, coordinator):
    first, second, third = training.participants
    services.import_test_scores(
        training.task,
        actor=coordinator,
        file=_xlsx(
            [
                ["PESEL", "Pre-test", "Post-test"],
                [first.person.pesel, 40, "18/20"],
                [second.person.pesel, "55,5", "75 %"],
            ]
        ),
    )
    scores = dict(TestScore.objects.values_list("participant_id", "post_test"))
    assert scores == {first.pk: Decimal("90.00"), second.pk: Decimal("75.00")}
    services.import_test_scores(
        training.task,
        actor=coordinator,
        file=_xlsx(
            [
                ["Imię", "Nazwisko", "Pre-test", "Post-test"],
                [third.person.first_name, third.person.last_name.upper(), 10, 60],
            ]
        ),
    )
    assert TestScore.objects.get(participant=third).post_test == Decimal("60.00")


def test_import_reports_every_bad_row_and_saves_nothing(training, coordinator):
    first = training.participants[0]
    with pytest.raises(ValidationError) as caught:
        services.import_test_scores(
            training.task,
            actor=coordinator,
            file=_xlsx(
                [
                    ["PESEL", "Pre-test", "Post-test"],
                    [first.person.pesel, 40, 80],
                    ["80010100000", 40, 80],
                    [first.person.pesel, "abc", 120],
                ]
            ),
        )
    assert caught.value.messages == [
        "Wiersz 3, kolumna „PESEL”: żaden uczestnik zadania nie ma takiego numeru PESEL "
        "ani imienia i nazwiska",
        "Wiersz 4, kolumna „Pre-test”: oczekiwano wartości procentowej od 0 do 100 "
        "lub punktów, np. 18/25",
        "Wiersz 4, kolumna „Post-test”: oczekiwano wartości procentowej od 0 do 100 "
        "lub punktów, np. 18/25",
        "Wiersz 4, kolumna „PESEL”: ta osoba występuje dwukrotnie",
    ]
    assert TestScore.objects.count() == 0


def test_import_without_headers_is_refused(training, coordinator):
    with pytest.raises(ValidationError) as caught:
        services.import_test_scores(
            training.task, actor=coordinator, file=_xlsx([["Kto", "Wynik"], ["x", 1]])
        )
    assert caught.value.code == "headers"


def test_valid_certificates_excludes_revoked(training, coordinator):
    _rule(training)
    one, two = (
        issuing.issue_certificate(training.task, p, actor=None, notify=False)
        for p in training.participants[:2]
    )
    issuing.revoke_certificate(one, actor=coordinator, reason="pomyłka")
    assert list(queries.valid_certificates(training.project)) == [two]


def test_normalise_code_accepts_any_case_spaces_and_dashes():
    assert services.normalise_code(" k7m4-xq9p 2w ") == "K7M4XQ9P2W"


def test_attendance_excused_does_not_count(training):
    participant = training.participants[0]
    Attendance.objects.filter(participant=participant, session=training.sessions[0]).update(
        status=Attendance.Status.EXCUSED
    )
    aggregates.refresh(participant_ids=[participant.pk], task_ids=[training.task.pk])
    facts = queries.participant_facts(training.task)
    assert facts[participant.pk].share == Decimal("80.00")


def test_bulk_issue_in_chunks_numbers_audits_and_skips_holders(training, monkeypatch):
    monkeypatch.setattr(issuing, "CHUNK", 2)
    _rule(training)
    training.add_participant()
    training.add_participant()
    held = issuing.issue_certificate(
        training.task, training.participants[3], actor=None, notify=False
    )
    issued = issuing.issue_certificates(training.task, actor=None, notify=False)
    assert len(issued) == 4
    assert sorted(c.sequence for c in issued) == [2, 3, 4, 5]
    assert held.participant_id not in {c.participant_id for c in issued}
    for certificate in issued:
        entry = AuditEntry.objects.for_object(certificate).get()
        assert entry.action == "create" and entry.changes["number"] == [None, certificate.number]
        assert certificate.sha256 == printing.checksum(printing.render([certificate]))
    assert issuing.issue_certificates(training.task, actor=None, notify=False) == []
