"""The SL2014 monitoring export beside bare xlsxwriter writing the same cells.

Run: .venv/bin/python bench/bench_export.py [--count 100000] [--profile sl2014] [--rounds 5]

It builds a throw-away SQLite database (or uses DATABASE_URL) with one project of --count
participants and one of --count/10 (bulk_create), each participant enrolled in the training
cycle and present at one of its sessions (SL2014 has one row per participant and form of
support, so a participant without a received support would export nothing), then runs, each in
its own process so that peak RSS (resource.getrusage ru_maxrss) belongs to that run alone:
- "ours": `lider.reporting.exports.monitoring.export_participants` end to end: one query
  streamed with .iterator(chunk_size=2000) over values_list, the profile's columns compiled
  once per file (dictionaries, helpers), the mandatory-data check, xlsxwriter in
  constant_memory mode, the audit entry;
- "ours, 1/10 of the rows": the same for the small project, to show that memory stays flat;
- "bare": xlsxwriter (constant_memory) writing the very cells our export wrote, already in
  memory as Python lists (read back from our file before the timer starts), with the same
  header and date format, each cell through its typed writer (write_string, write_number,
  write_datetime), as our writer does: not write_row, whose type guessing costs more.
  This is the floor; the goal is ours ≤ 1.3 × bare. At the end both files are read back and
  compared cell by cell (value and type).
On PostgreSQL the setup ends with ANALYZE (a live server's autovacuum gathers those statistics
soon after a bulk load; this machine's runs without autovacuum).
The big export and the bare writer run --rounds times, interleaved; the median and the
fastest run of each are printed and compared (timings on a shared machine vary by ±30 %: the
fastest run is the one least disturbed by other processes, the median the typical one).
Memory: peak RSS of each process, and Python's own peak allocation during the run
(tracemalloc, in a separate run of each: tracing slows the code it measures).
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lider.settings")


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def django_setup():
    import django

    django.setup()


def setup(count: int) -> dict:
    django_setup()
    from django.core.management import call_command
    from django.db import transaction

    from lider.delivery.models import Attendance, Enrolment, Session, Venue
    from lider.people.models import Participant, Person
    from lider.projects.models import Organisation, ProgrammeNode, Project, Task
    from lider.territory.queries import gminas_in, unit_by_code

    call_command("migrate", verbosity=0)
    county = unit_by_code("2409")
    gminas = gminas_in([county])
    organisation = Organisation.objects.create(name="Izba Rzemiosła", city="Częstochowa")
    node = ProgrammeNode.objects.create(level="submeasure", code="7.2.2", name="Poddziałanie")
    first = ["Łukasz", "Żaneta", "Grzegorz", "Małgorzata", "Jędrzej", "Agnieszka", "Józef", "Ewa"]
    last = ["Żółkiewski", "Gęślarz", "Świątek", "Dąbrowska", "Łęcka", "Nowak", "Wójcik", "Kos"]
    educations = ["isced1", "isced2", "isced3", "isced4", "isced5"]
    statuses = ["unemployed_registered", "unemployed_unregistered", "inactive", "employed"]
    slugs = {}
    offset = 0
    for name, n in (("big", count), ("small", max(count // 10, 1))):
        project = Project.objects.create(
            slug=f"bench-{name}",
            number=f"WND-BENCH-{name}",
            title=f"Projekt {name}",
            cofinancing_statement="UE",
            classification=node,
            institution=organisation,
            applicant=organisation,
            contract_number=f"UDA-BENCH-{name}",
            start_date=datetime.date(2009, 12, 1),
            end_date=datetime.date(2010, 12, 31),
            main_goal="Cel",
        )
        slugs[name] = project.slug
        task = Task.objects.create(project=project, kind="training_cycle", title="Cykl szkoleń")
        venue = Venue.objects.create(project=project, name="Sala", city="Myszków", gmina=gminas[0])
        sessions = [
            Session.objects.create(
                task=task,
                title=f"Zajęcia {month}",
                date=datetime.date(2010, month, 10),
                start_time=datetime.time(9),
                end_time=datetime.time(15),
                venue=venue,
            )
            for month in range(1, 13)
        ]
        with transaction.atomic():
            for start in range(0, n, 5000):
                people = []
                for i in range(offset + start, offset + min(start + 5000, n)):
                    sex = "K" if i % 5 < 3 else "M"
                    people.append(
                        Person(
                            first_name=first[i % 8],
                            last_name=f"{last[(i // 8) % 8]}-{i}",
                            pesel=f"{i:011d}",
                            birth_date=datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                            sex=sex,
                            education=educations[i % 5],
                            labour_status=statuses[i % 4],
                            labour_detail="long_term_unemployed" if i % 4 == 0 else "",
                            cares_for_dependants=i % 3 == 0,
                            street="ul. Żeromskiego",
                            house_number=str(i % 120 + 1),
                            postal_code="42-300",
                            city="Myszków",
                            gmina=gminas[i % len(gminas)],
                            phone="600 100 200",
                            email=f"osoba{i}@example.pl",
                            disability="no",
                            minority_or_migrant="no",
                            homeless="no",
                            other_disadvantage="refused" if i % 7 == 0 else "no",
                        )
                    )
                created = Person.objects.bulk_create(people)
                participants = Participant.objects.bulk_create(
                    Participant(
                        project=project,
                        person=person,
                        start_date=sessions[person.pk % len(sessions)].date,
                        end_date=sessions[-1].date,
                        completed_as_planned=True,
                        # Mandatory once the path has ended (SL2014 "Sytuacja (1)").
                        exit_situation="employed",
                        exit_situation_source="office",
                    )
                    for person in created
                )
                Enrolment.objects.bulk_create(
                    Enrolment(task=task, participant=p, status="completed") for p in participants
                )
                Attendance.objects.bulk_create(
                    Attendance(
                        session=sessions[p.person_id % len(sessions)],
                        participant=p,
                        status="present",
                    )
                    for p in participants
                )
        offset += n
    from django.db import connection

    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum gathers them on a live server soon after a bulk
        # load (this machine's server runs without autovacuum).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return slugs


def _traced(trace: bool):
    if trace:
        import tracemalloc

        tracemalloc.start()


def _traced_peak(trace: bool) -> float | None:
    if not trace:
        return None
    import tracemalloc

    return tracemalloc.get_traced_memory()[1] / 2**20


def run_ours(slug: str, profile: str, path: str, trace: bool = False) -> dict:
    django_setup()
    from lider.projects.models import Project
    from lider.reporting.exports import monitoring

    project = Project.objects.select_related("applicant").get(slug=slug)
    before = rss_mib()
    _traced(trace)
    started = time.perf_counter()
    result = monitoring.export_participants(
        project, profile, actor=None, full_sensitive=True, target=path
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": result.exported,
        "incomplete": len(result.incomplete),
        "rss_before": before,
        "rss_peak": rss_mib(),
        "traced_peak": _traced_peak(trace),
    }


def read_cells(path: str) -> tuple[list, list[list]]:
    """The header and the rows of our file's first sheet, as our export wrote them."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    header, rows = sheet[0], sheet[1:]
    # calamine gives floats for numbers and "" for empty cells: give back ints and None
    rows = [
        [None if v == "" else int(v) if isinstance(v, float) and v == int(v) else v for v in row]
        for row in rows
    ]
    return header, rows


def run_bare(path: str, out: str, trace: bool = False) -> dict:
    import datetime as dt

    import xlsxwriter

    header, rows = read_cells(path)
    before = rss_mib()
    _traced(trace)
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(
        out, {"constant_memory": True, "default_date_format": "yyyy-mm-dd"}
    )
    bold = workbook.add_format({"bold": True})
    worksheet = workbook.add_worksheet("Uczestnicy")
    write_string, write_number = worksheet.write_string, worksheet.write_number
    write_datetime = worksheet.write_datetime
    for column, label in enumerate(header):
        write_string(0, column, label, bold)
    worksheet.freeze_panes(1, 0)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                write_string(number, column, value)
            elif kind is int or kind is float:
                write_number(number, column, value)
            elif kind is dt.date or kind is dt.datetime:
                write_datetime(number, column, value)
            else:
                write_string(number, column, str(value))
    workbook.close()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": len(rows),
        "rss_before": before,
        "rss_peak": rss_mib(),
        "traced_peak": _traced_peak(trace),
    }


def same_cells(ours: str, bare: str) -> str:
    """Whether both files' first sheets hold the same cells, types included (read back with
    calamine, as the floor read ours)."""
    from python_calamine import CalamineWorkbook

    def cells(path):
        return CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()

    a, b = cells(ours), cells(bare)
    typed = [[(type(v), v) for v in row] for row in a] == [[(type(v), v) for v in row] for row in b]
    count = sum(1 for row in a for v in row if v != "")
    return f"same cells in ours and bare: {'yes' if typed else 'NO'} ({count} non-empty cells)"


def child(args) -> dict:
    command = [sys.executable, __file__, "--child", json.dumps(args)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--profile", default="sl2014")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--reuse", help="a data directory left by an earlier run (SQLite): skip the setup"
    )
    parser.add_argument("--child")
    options = parser.parse_args()
    if options.child:
        args = json.loads(options.child)
        if args["mode"] == "setup":
            result = setup(args["count"])
        elif args["mode"] == "ours":
            result = run_ours(args["slug"], args["profile"], args["path"], args.get("trace"))
        else:
            result = run_bare(args["path"], args["out"], args.get("trace"))
        print(json.dumps(result))
        return
    work = options.reuse or tempfile.mkdtemp(prefix="lider-bench-export-")
    if "DATABASE_URL" not in os.environ:
        os.environ["LIDER_DATA_DIR"] = work
    database = os.environ.get("DATABASE_URL", f"SQLite in {work}")
    print(f"Export benchmark: {options.count} participants, profile {options.profile}, {database}")
    started = time.perf_counter()
    if options.reuse:
        slugs = {"big": "bench-big", "small": "bench-small"}
    else:
        slugs = child({"mode": "setup", "count": options.count})
        print(f"setup (bulk_create): {time.perf_counter() - started:.1f} s")
    big, small = Path(work) / "ours.xlsx", Path(work) / "ours_small.xlsx"
    bare_out = str(Path(work) / "bare.xlsx")

    def ours(slug, path, trace=False):
        args = {"mode": "ours", "slug": slug, "profile": options.profile, "path": str(path)}
        return child({**args, "trace": trace})

    def bare(trace=False):
        return child({"mode": "bare", "path": str(big), "out": bare_out, "trace": trace})

    ours_runs, bare_runs = [], []
    for _ in range(options.rounds):
        ours_runs.append(ours(slugs["big"], big))
        bare_runs.append(bare())
    ours_small = ours(slugs["small"], small)
    traced = {
        "ours": ours(slugs["big"], big, trace=True)["traced_peak"],
        "ours, 1/10 of the rows": ours(slugs["small"], small, trace=True)["traced_peak"],
        "bare xlsxwriter": bare(trace=True)["traced_peak"],
    }
    print("ours, every round:", ", ".join(f"{r['seconds']:.2f} s" for r in ours_runs))
    print("bare, every round:", ", ".join(f"{r['seconds']:.2f} s" for r in bare_runs))
    ours_times = [r["seconds"] for r in ours_runs]
    bare_times = [r["seconds"] for r in bare_runs]
    fastest = min(ours_runs, key=lambda r: r["seconds"])
    print(
        f"{'run':<24}{'rows':>8}{'median s':>10}{'min s':>8}{'rows/s':>9}"
        f"{'RSS before':>12}{'peak RSS':>10}{'traced peak':>13}"
    )
    runs = (
        ("ours", ours_runs),
        ("ours, 1/10 of the rows", [ours_small]),
        ("bare xlsxwriter", bare_runs),
    )
    for name, results in runs:
        times = [r["seconds"] for r in results]
        last = results[-1]
        print(
            f"{name:<24}{last['rows']:>8}{statistics.median(times):>10.2f}{min(times):>8.2f}"
            f"{last['rows'] / min(times):>9.0f}{last['rss_before']:>8.0f} MiB"
            f"{max(r['rss_peak'] for r in results):>6.0f} MiB{traced[name]:>9.1f} MiB"
        )
    print(f"file: {big.stat().st_size / 2**20:.1f} MiB, {fastest['incomplete']} incomplete rows")
    print(same_cells(str(big), bare_out))
    median_ratio = statistics.median(ours_times) / statistics.median(bare_times)
    min_ratio = min(ours_times) / min(bare_times)
    print(f"ours / bare: median {median_ratio:.2f} ×, fastest {min_ratio:.2f} × (goal ≤ 1.3 ×)")
    growth = max(r["rss_peak"] for r in ours_runs) - ours_small["rss_peak"]
    traced_growth = traced["ours"] - traced["ours, 1/10 of the rows"]
    print(
        f"{options.count} rows vs 1/10 of them: peak RSS {growth:+.0f} MiB, traced peak "
        f"{traced_growth:+.1f} MiB (flat means ≈ 0)"
    )


if __name__ == "__main__":
    main()
