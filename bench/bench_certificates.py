"""Issuing certificates through the service, beside rendering the same documents alone.

Run: .venv/bin/python bench/bench_certificates.py [--count 1000]

It sets up a throw-away SQLite database (or uses DATABASE_URL) with one training cycle of ten
sessions, N participants who attended all of them and the rule "≥ 80 % of training hours", then
prints milliseconds per certificate for:
- "issue, bulk": `issue_certificates` (what the bulk run calls) for N participants: the rule
  evaluated for everyone at once, then per chunk of 25 one transaction locking the series
  counter, numbering, rendering each PDF for its checksum, inserting the rows and their audit
  entries (no e-mail);
- "issue, single": `issue_certificate` for each of --single more participants, each evaluated
  anew (the one-person button);
- "render": `lider.core.documents.render_certificate` of the same certificates' data (QR code,
  labels, JSON, typst compile), the floor the goal (issue within 1.3 × render) is measured on;
- "compile": a typst compile of the same prepared inputs (no QR, no JSON building), through the
  same worker process as every render (``lider.core.render_pool``).
The renders run after the issues, on the same text, so typst's layout cache favours them: the
ratio printed is an upper bound. Timings on shared machines vary by ±30 %.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lider.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["LIDER_DATA_DIR"] = tempfile.mkdtemp(prefix="lider-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from lider.certification import issuing, printing, services  # noqa: E402
from lider.certification.models import Certificate  # noqa: E402
from lider.core import documents  # noqa: E402
from lider.delivery import aggregates  # noqa: E402
from lider.delivery.models import Attendance, Enrolment, Group, Session, Venue  # noqa: E402
from lider.people.models import Participant, Person  # noqa: E402
from lider.projects.models import Organisation, ProgrammeNode, Project, Task  # noqa: E402
from lider.territory.queries import gminas_in, unit_by_code  # noqa: E402

FIRST = ["Łukasz", "Żaneta", "Grzegorz", "Małgorzata", "Jędrzej", "Agnieszka", "Józef", "Ewa"]
LAST = ["Żółkiewski", "Gęślarz", "Świątek", "Dąbrowska", "Łęcka", "Nowak", "Wójcik", "Kaczmarek"]
TOPICS = ["Ekonomia społeczna", "Spółdzielnia socjalna", "Marketing", "Finanse", "Prawo"]


def setup(count: int) -> Task:
    call_command("migrate", verbosity=0)
    county = unit_by_code("2409")
    organisation = Organisation.objects.create(name="Izba", city="Częstochowa")
    node = ProgrammeNode.objects.create(level="submeasure", code="7.2.2", name="Poddziałanie")
    stamp = time.time_ns()
    project = Project.objects.create(
        slug=f"bench-{stamp}",
        number="WND-POKL.07.02.02-24-03408",
        title="Lider na Rynku Ekonomii Społecznej",
        cofinancing_statement="Projekt współfinansowany ze środków Unii Europejskiej",
        classification=node,
        institution=organisation,
        applicant=organisation,
        start_date=datetime.date(2009, 12, 1),
        end_date=datetime.date(2010, 12, 31),
        main_goal="Cel",
    )
    task = Task.objects.create(project=project, kind="training_cycle", title="Cykl szkoleń")
    group = Group.objects.create(task=task, name="Grupa Myszków", county=county)
    venue = Venue.objects.create(
        project=project, name="Dom Kultury", city="Myszków", gmina=gminas_in([county])[0]
    )
    sessions = Session.objects.bulk_create(
        Session(
            task=task,
            group=group,
            venue=venue,
            title=TOPICS[n % len(TOPICS)],
            date=datetime.date(2010, 3, 1) + datetime.timedelta(weeks=n),
            start_time=datetime.time(9),
            end_time=datetime.time(15),
        )
        for n in range(10)
    )
    people = Person.objects.bulk_create(
        Person(
            first_name=FIRST[n % len(FIRST)],
            last_name=f"{LAST[n % len(LAST)]}-{stamp % 100000}-{n}",
            pesel=f"{stamp // 1000 % 100000:05d}{n:06d}",
            birth_date=datetime.date(1980, 1, 1),
            sex="K" if n % 2 else "M",
        )
        for n in range(count)
    )
    participants = Participant.objects.bulk_create(
        Participant(project=project, person=person) for person in people
    )
    Enrolment.objects.bulk_create(
        Enrolment(task=task, group=group, participant=p, status="participating")
        for p in participants
    )
    Attendance.objects.bulk_create(
        Attendance(session=s, participant=p, status="present")
        for p in participants
        for s in sessions
    )
    # bulk_create bypasses the services that keep the attendance totals the rule reads.
    aggregates.rebuild(project)
    services.set_number_pattern(project, actor=None, pattern="LRES/{year}/{seq:04d}")
    services.save_completion_rule(task, actor=None, conditions={"all": [{"attendance": 80}]})
    return task


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--single", type=int, default=100)
    args = parser.parse_args()
    count = args.count
    translation.activate("pl")
    task = setup(count + args.single + 1)
    participants = list(Participant.objects.filter(project=task.project).order_by("pk"))
    bulk, single = participants[: count + 1], participants[count + 1 :]
    # Leave out the "single" ones from the bulk run (not enrolled yet) and warm up on one
    # certificate, so the compiler and the fonts are loaded before any timer.
    Enrolment.objects.filter(participant__in=single).update(status="waiting")
    issuing.issue_certificate(task, bulk[0], actor=None, notify=False)

    started = time.perf_counter()
    issued = issuing.issue_certificates(task, actor=None, notify=False)
    issue = (time.perf_counter() - started) / len(issued)
    assert len(issued) == count

    Enrolment.objects.filter(participant__in=single).update(status="participating")
    started = time.perf_counter()
    for participant in single:
        issuing.issue_certificate(task, participant, actor=None, notify=False)
    one_by_one = (time.perf_counter() - started) / max(len(single), 1)

    data = [printing.certificate_data(c) for c in issued]
    started = time.perf_counter()
    for item in data:
        documents.render_certificate(item)
    render = (time.perf_counter() - started) / len(data)

    inputs = [documents._certificates_inputs([item], "pl") for item in data]
    started = time.perf_counter()
    for item in inputs:
        documents._compile("certificate", item)
    compile_only = (time.perf_counter() - started) / len(inputs)

    numbers = list(Certificate.objects.filter(task=task).values_list("sequence", flat=True))
    assert sorted(numbers) == list(range(1, len(participants) + 1)), "a gap or a duplicate"
    database = os.environ.get("DATABASE_URL", "SQLite").split("@")[-1]
    print(f"certificates: {count} in one bulk issue, {len(single)} one by one ({database})")
    rows = [
        ("issue, bulk   (issue_certificates: lock, number, PDF, save, audit)", issue),
        ("issue, single (issue_certificate, evaluating each person anew)", one_by_one),
        ("render  (documents.render_certificate of the same documents)", render),
        ("compile (typst compile of their prepared inputs, in the worker)", compile_only),
    ]
    for label, seconds in rows:
        print(f"{label:<70} {seconds * 1000:6.1f} ms")
    print(f"bulk issue / render:  {issue / render:.2f} ×  (goal ≤ 1.30 ×)")
    print(f"bulk issue / compile: {issue / compile_only:.2f} ×")
    print(f"single issue / render: {one_by_one / render:.2f} ×")


if __name__ == "__main__":
    main()
