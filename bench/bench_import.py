"""Importing people from a spreadsheet, beside a bare calamine read of the same file.

Run: .venv/bin/python bench/bench_import.py [--rows 10000] [--rounds 3]

It generates an XLSX of N people (valid PESELs, some typed as numbers; TERC codes and gmina
names; Polish headers), sets up a throw-away SQLite database (or uses DATABASE_URL) with a
project in the four counties of the reference project, and prints rows per second for:
- "bare read": python-calamine reading the sheet into Python values (the floor);
- "read + validate": our `read_table` + `validate` (every cell checked; gminas and the
  project's PESELs loaded with one query each);
- "full import": read + validate + creating people, applications and consents in one
  transaction (bulk inserts), the figure the target (≥ 5,000 rows/s) is about.
Figures are medians of the rounds; each round imports a new file into a fresh project.
The machine's load matters: on a shared machine figures vary by a factor of two.
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

from lider.people import importing  # noqa: E402
from lider.projects.models import Organisation, ProgrammeNode, Project, TargetGroup  # noqa: E402
from lider.recruitment import bulk_import, import_jobs  # noqa: E402
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
    bare, checking, full = [], [], []
    pesels = set()
    for n in range(args.rounds):
        # A new file each round: new people, as in a first import (not the people of the
        # previous round, who would be linked instead of created).
        content = make_file(args.rows, seed=2009 + n + time.time_ns() % 10**6, seen=pesels)
        seconds, _ = timed(
            lambda content=content: (
                CalamineWorkbook.from_filelike(io.BytesIO(content))
                .get_sheet_by_index(0)
                .to_python()
            )
        )
        bare.append(seconds)
        project = make_project(n)

        def check(project=project, content=content):
            table = importing.read_table(content, "osoby.xlsx")
            return importing.validate(
                table,
                gminas=importing.register_gminas(),
                county_ids=set(project.counties.values_list("pk", flat=True)),
                taken_pesels=bulk_import.taken_pesels(project),
            )

        seconds, checked = timed(check)
        checking.append(seconds)
        assert not checked.errors, checked.errors[:5]
        assert len(checked.people) == args.rows, len(checked.people)

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

        seconds, count = timed(run)
        full.append(seconds)
        assert count == args.rows
    engine = django.db.connection.vendor
    print(f"{args.rows} rows, XLSX {len(content) // 1024} KiB, database: {engine}")
    for label, times in (
        ("bare read (calamine)", bare),
        ("read + validate (ours)", checking),
        ("full import (ours)", full),
    ):
        median = statistics.median(times)
        print(f"  {label:<24} {median * 1000:8.0f} ms   {args.rows / median:10,.0f} rows/s")


if __name__ == "__main__":
    main()
