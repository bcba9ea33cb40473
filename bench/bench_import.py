"""Importing people from a spreadsheet, beside the bare engine doing the same work.

Run: .venv/bin/python bench/bench_import.py [--rows 10000] [--rounds 3]

It generates XLSX files of N people (valid PESELs, some typed as numbers; TERC codes and gmina
names; Polish headers), sets up a throw-away SQLite database (or uses DATABASE_URL) with
projects in the four counties of the reference project, and prints, over interleaved rounds
(median and min):
- "bare read": python-calamine reading the sheet into Python values;
- "read + validate": our bounded reader + every cell checked (nothing written);
- "floor: read + write": python-calamine reads the sheet and the same rows are written as
  the import writes them — people, applications, consents and an audit entry per person — by
  COPY (PostgreSQL) or multi-row INSERTs (SQLite) of tuples made straight from the cells,
  in one transaction: the bare engine's fastest form of the same work (no checks);
- "full import (ours)": the import job's work (`import_jobs.import_content`): read in chunks
  from the bounded child process, check every row, write chunk by chunk in one transaction;
and the ratio ours / floor (goal ≤ 1.3). Each round writes new files (new people) into fresh
projects. The machine's load matters: on a shared machine figures vary by a factor of two.
"""

import argparse
import datetime
import io
import os
import random
import statistics
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

import xlsxwriter  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402
from stdnum.pl import pesel as stdnum_pesel  # noqa: E402

from lider.people.models import Person  # noqa: E402
from lider.projects.models import Organisation, ProgrammeNode, Project, TargetGroup  # noqa: E402
from lider.recruitment import import_jobs  # noqa: E402
from lider.recruitment.models import ConsentText, EligibilityRule, ScoringCriterion  # noqa: E402
from lider.territory.queries import gminas_in, unit_by_code  # noqa: E402

HEADER = [
    "Imię", "Nazwisko", "PESEL", "Płeć", "Data urodzenia", "Ulica", "Nr domu", "Nr lokalu",
    "Kod pocztowy", "Miejscowość", "Gmina", "Telefon", "E-mail", "Wykształcenie",
    "Status na rynku pracy", "Osoba z niepełnosprawnościami",
]  # fmt: skip
COUNTIES = ["2464", "2404", "2409", "2407"]


def make_pesel(n: int, rng: random.Random) -> str:
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 55))
    month = born.month + (20 if born.year >= 2000 else 0)
    body = f"{born.year % 100:02d}{month:02d}{born.day:02d}{n % 10000:04d}"
    return body + stdnum_pesel.calc_check_digit(body)


def make_file(rows: int, seed: int = 2009, seen: set | None = None) -> bytes:
    """`seen`: PESELs of earlier files, never repeated (a repeated one is a person Lider
    already holds, which the import does not link without the office's confirmation)."""
    rng = random.Random(seed)
    gminas = gminas_in([unit_by_code(c) for c in COUNTIES])
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("Uczestnicy")
    sheet.write_row(0, 0, HEADER)
    seen = set() if seen is None else seen
    for r in range(1, rows + 1):
        pesel = make_pesel(r, rng)
        while pesel in seen:
            pesel = make_pesel(r + rng.randrange(10**6), rng)
        seen.add(pesel)
        gmina = gminas[r % len(gminas)]
        values = [
            rng.choice(["Anna", "Maria", "Jan", "Piotr", "Zofia"]),
            rng.choice(["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Zielińska"]),
            pesel,
            "",
            "",
            "Polna",
            str(rng.randint(1, 99)),
            "",
            f"42-{rng.randint(200, 799)}",
            gmina.name,
            gmina.code,
            "600100200",
            f"osoba{r}@example.pl",
            rng.choice(["ponadgimnazjalne", "wyższe", "podstawowe", "policealne"]),
            rng.choice(["bezrobotny zarejestrowany", "bierny zawodowo", "pracujący"]),
            rng.choice(["tak", "nie", "odmowa"]),
        ]
        sheet.write_row(r, 0, values)
        if r % 3 == 0:  # typed as numbers, as spreadsheets do: calamine returns floats
            sheet.write_number(r, 2, int(pesel))
            sheet.write_number(r, 10, int(gmina.code))
    book.close()
    return buffer.getvalue()


def make_project(n: int) -> Project:
    node, _ = ProgrammeNode.objects.get_or_create(
        level="submeasure", code="7.2.2", defaults={"name": "Wsparcie ekonomii społecznej"}
    )
    org, _ = Organisation.objects.get_or_create(name="Beneficjent")
    project = Project.objects.create(
        slug=f"bench-{n}-{time.time_ns()}",
        number="BENCH",
        title="Benchmark",
        cofinancing_statement="-",
        classification=node,
        institution=org,
        applicant=org,
        start_date=datetime.date(2009, 12, 1),
        end_date=datetime.date(2010, 12, 31),
        main_goal="-",
    )
    project.counties.set([unit_by_code(c) for c in COUNTIES])
    group = TargetGroup.objects.create(project=project, description="Osoby fizyczne")
    EligibilityRule.objects.create(project=project, order=1, kind="area")
    EligibilityRule.objects.create(project=project, order=2, kind="min_age", min_age=18)
    rule = EligibilityRule.objects.create(project=project, order=3, kind="target_group")
    rule.target_groups.set([group])
    for kind, points in [("unemployed", 10), ("woman", 5), ("disability", 8), ("rural", 3)]:
        ScoringCriterion.objects.create(project=project, kind=kind, points=points)
    for purpose in ConsentText.Purpose.values:
        ConsentText.objects.create(project=project, purpose=purpose, version="1", text="-")
    return project


def floor_import(content: bytes, project) -> int:
    """The same rows as the import writes, by the bare engine: no checks, values taken from
    the cells (numbers back to text, codes looked up), COPY or multi-row INSERT."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from lider.core.models import AuditEntry
    from lider.people.import_columns import CODED, key
    from lider.people.models import Person
    from lider.recruitment.models import Application, Consent
    from lider.territory.models import Unit

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    now = timezone.now()
    codes = dict(CODED)
    education, labour, disability = codes["education"], codes["labour_status"], codes["disability"]
    gminas = dict(Unit.objects.filter(level="gmina").values_list("code", "pk"))
    group = project.target_groups.get().pk
    texts = list(ConsentText.objects.filter(project=project).values_list("pk", "purpose"))
    person_type = ContentType.objects.get_for_model(Person).pk
    json = Application._meta.get_field("eligibility")
    no_verdicts = json.get_db_prep_save([], connection)
    file_note = json.get_db_prep_save({"file": "osoby.xlsx"}, connection)
    with transaction.atomic(), connection.cursor() as cursor:
        first = _max_id(cursor, Person)
        people = []
        for cells in sheet[1:]:
            pesel = cells[2] if cells[2].__class__ is str else str(int(cells[2])).zfill(11)
            gmina = cells[10] if cells[10].__class__ is str else str(int(cells[10]))
            year, month = int(pesel[:2]), int(pesel[2:4])
            year += 2000 if month > 20 else 1900
            people.append(
                (
                    cells[0],
                    cells[1],
                    pesel,
                    datetime.date(year, month % 20, int(pesel[4:6])),
                    "K" if int(pesel[9]) % 2 == 0 else "M",
                    cells[5],
                    cells[6],
                    cells[8],
                    cells[9],
                    gminas[gmina],
                    cells[11],
                    cells[12],
                    education[key(cells[13])],
                    labour[key(cells[14])],
                    disability[key(cells[15])],
                )  # fmt: skip
            )
        _copy(
            cursor,
            Person,
            (
                "first_name",
                "last_name",
                "pesel",
                "birth_date",
                "sex",
                "street",
                "house_number",
                "postal_code",
                "city",
                "gmina_id",
                "phone",
                "email",
                "education",
                "labour_status",
                "disability",
            ),  # fmt: skip
            people,
            now,
        )
        cursor.execute(f"SELECT pesel, id FROM {Person._meta.db_table} WHERE id > %s", [first])
        ids = dict(cursor.fetchall())
        _copy(
            cursor,
            Application,
            (
                "project_id",
                "person_id",
                "target_group_id",
                "status",
                "source",
                "submitted_at",
                "language",
                "is_eligible",
                "eligibility",
                "score",
                "pesel",
                "email",
                "identity",
            ),  # fmt: skip
            [
                (
                    project.pk,
                    ids[p[2]],
                    group,
                    "submitted",
                    "import",
                    now,
                    "pl",
                    True,
                    no_verdicts,
                    0,
                    p[2],
                    p[11],
                    "new",
                )
                for p in people
            ],  # fmt: skip
            now,
        )
        cursor.execute(
            f"SELECT person_id, id FROM {Application._meta.db_table} WHERE project_id = %s",
            [project.pk],
        )
        applications = dict(cursor.fetchall())
        _copy(
            cursor,
            Consent,
            ("application_id", "text_id", "purpose", "given_at", "source"),
            [
                (applications[ids[p[2]]], text, purpose, now, "import")
                for p in people
                for text, purpose in texts
            ],
            now,
        )
        _copy(
            cursor,
            AuditEntry,
            (
                "action",
                "content_type_id",
                "object_id",
                "object_repr",
                "project_id",
                "note",
                "note_values",
            ),  # fmt: skip
            [
                (
                    "create",
                    person_type,
                    str(ids[p[2]]),
                    f"{p[0]} {p[1]}",
                    project.pk,
                    "Created by the import of %(file)s",
                    file_note,
                )
                for p in people
            ],  # fmt: skip
            now,
        )
    return len(people)


def _max_id(cursor, model) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


def _copy(cursor, model, names: tuple, rows: list[tuple], now) -> None:
    """Write tuples of the `names` columns (every other column: its default, the same for
    each row) by COPY or by multi-row INSERTs."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rest = [f for f in fields if f.attname not in names]
    defaults = tuple(
        f.get_db_prep_save(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default(),
            connection,
        )
        for f in rest
    )
    by_name = {f.attname: f for f in fields}
    columns = ", ".join(
        connection.ops.quote_name(f.column) for f in [*(by_name[n] for n in names), *rest]
    )
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + defaults)
        return
    width = len(names) + len(rest)
    size = max(1, min(500, (connection.features.max_query_params or 999) // width))
    one = "({})".format(", ".join(["%s"] * width))
    for start in range(0, len(rows), size):
        part = rows[start : start + size]
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(part)),
            [v for row in part for v in row + defaults],
        )


def timed(function):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    bare, checking, floor, full = [], [], [], []
    # Never a PESEL the database holds (a reused PostgreSQL database keeps earlier rounds').
    pesels = set(Person.objects.values_list("pesel", flat=True))
    for n in range(args.rounds):
        # New files each round: new people, as in a first import (not the people of the
        # previous round, who would be linked instead of created); one for each side.
        seed = 2009 + n + time.time_ns() % 10**6
        content = make_file(args.rows, seed=seed, seen=pesels)
        other = make_file(args.rows, seed=seed + 1, seen=pesels)
        seconds, _ = timed(
            lambda content=content: (
                CalamineWorkbook.from_filelike(io.BytesIO(content))
                .get_sheet_by_index(0)
                .to_python()
            )
        )
        bare.append(seconds)
        project, floor_project = make_project(n), make_project(n)

        def check(project=project, content=content):
            return import_jobs.check_file(project, content, "osoby.xlsx")

        seconds, checked = timed(check)
        checking.append(seconds)
        assert not checked.errors, checked.errors[:5]
        assert checked.ready == args.rows, checked.ready

        def run(project=project, content=content):
            with transaction.atomic():  # as the import job: checked and written in chunks
                return import_jobs.import_content(
                    project,
                    content,
                    filename="osoby.xlsx",
                    actor=None,
                    consents_signed=True,
                    target_group=project.target_groups.get(),
                )[1]

        # Interleaved, the order alternating between rounds.
        sides = [(full, run), (floor, lambda o=other, f=floor_project: floor_import(o, f))]
        for times, work in sides if n % 2 == 0 else sides[::-1]:
            seconds, count = timed(work)
            times.append(seconds)
            assert count == args.rows, count
    engine = django.db.connection.vendor
    print(
        f"{args.rows} rows, XLSX {len(content) // 1024} KiB, database: {engine}, "
        f"{args.rounds} interleaved rounds (median / min)"
    )
    for label, times in (
        ("bare read (calamine)", bare),
        ("read + validate (ours)", checking),
        ("floor: read + write", floor),
        ("full import (ours)", full),
    ):
        median = statistics.median(times)
        print(
            f"  {label:<24} {median * 1000:8.0f} ms  min {min(times) * 1000:8.0f} ms"
            f"   {args.rows / median:10,.0f} rows/s"
        )
    print(
        f"  ours / floor: {statistics.median(full) / statistics.median(floor):.2f}× (median), "
        f"{min(full) / min(floor):.2f}× (min)"
    )


if __name__ == "__main__":
    main()
