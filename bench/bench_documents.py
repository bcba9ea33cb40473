"""PDF rendering through lider.core.documents beside a bare typst compile of the same inputs.

Run: .venv/bin/python bench/bench_documents.py [--rounds N]

For each case it prints milliseconds per document for:
- "ours": the public render function (translating labels, formatting dates, making the QR
  code, building the JSON, compiling our template in a worker process, through a pipe);
- "ours, inputs only": the Python side alone (everything but the compile);
- "bare": one reused typst.Compiler in this process compiling a minimal template that reads the
  same sys_inputs and lays out the same fields without styling (the engine's floor).
The two sides always get different names, so neither reuses text the other has just shaped
(typst's layout cache is shared by every compiler in the process). Figures are medians; timings
on shared machines vary by ±30 %.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lider.settings")

import django  # noqa: E402

django.setup()

import typst  # noqa: E402

from lider.core import documents  # noqa: E402

COFINANCING = (
    "Projekt współfinansowany ze środków Unii Europejskiej w ramach Europejskiego Funduszu"
    " Społecznego"
)
FIRST = ["Łukasz", "Żaneta", "Grzegorz", "Małgorzata", "Jędrzej", "Agnieszka", "Józef", "Ewa"]
LAST = ["Żółkiewski", "Gęślarz", "Świątek", "Dąbrowska", "Łęcka", "Nowak", "Wójcik", "Kaczmarek"]

BARE_CERTIFICATE = """
#let data = json(bytes(sys.inputs.data))
#set page(paper: "a4")
#set text(font: "Libertinus Serif", lang: data.lang)
#for (i, c) in data.certificates.enumerate() {
  if i > 0 { pagebreak() }
  align(center)[
    #text(size: 28pt, c.title) \\ #c.subtitle \\ #text(size: 22pt, c.full_name) \\
    #c.completed #c.training_title \\ #c.project_title #c.project_number \\
    #c.dates #c.place #c.hours \\ #c.issued #c.number #c.verification_code
    #image(bytes(c.qr), format: "svg", width: 2.4cm)
  ]
  pagebreak()
  table(columns: 3, ..for (j, (topic, hours)) in c.programme.enumerate() {
    (str(j + 1), topic, hours)
  })
}
"""

BARE_ATTENDANCE = """
#let data = json(bytes(sys.inputs.data))
#set page(
  paper: "a4",
  header: [#data.session_title #data.date #data.time],
  footer: context [#counter(page).display() / #counter(page).final().first()],
)
#set text(font: "Libertinus Serif", lang: data.lang)
#image(bytes(data.qr), format: "svg", width: 2.3cm)
#table(
  columns: (1.3cm, 1fr, 6.5cm),
  table.header([No.], [Name], [Signature]),
  ..for (i, name) in data.rows.enumerate() { (str(i + 1) + ".", name, []) },
)
"""


def name(index: int, round_: int) -> str:
    return f"{FIRST[index % len(FIRST)]} {LAST[index // len(FIRST) % len(LAST)]} {index}-{round_}"


def certificate(index: int, round_: int) -> documents.CertificateData:
    code = f"R{round_}-{index:05d}"
    return documents.CertificateData(
        cofinancing=COFINANCING,
        title="ZAŚWIADCZENIE",
        subtitle="o ukończeniu szkolenia",
        full_name=name(index, round_),
        project_title="Lider na Rynku Ekonomii Społecznej",
        project_number="WND-POKL.07.02.02-24-03408",
        training_title="Zakładanie i prowadzenie spółdzielni socjalnej",
        hours=16,
        start_date=datetime.date(2025, 3, 10),
        end_date=datetime.date(2025, 3, 12),
        place="Katowice, ul. Wojewódzka 23",
        number=f"ZAŚ/2025/{code}",
        issue_date=datetime.date(2025, 3, 14),
        issue_place="Katowice",
        verification_url=f"https://lider.example.org/weryfikacja/{code}/",
        verification_code=code,
        programme=[
            documents.ProgrammeItem("Ekonomia społeczna – podstawy prawne", 4),
            documents.ProgrammeItem("Spółdzielnia socjalna: założenie i rejestracja", 6),
            documents.ProgrammeItem("Zarządzanie przedsiębiorstwem społecznym", Decimal("3.5")),
            documents.ProgrammeItem("Współpraca z samorządem", Decimal("2.5")),
        ],
    )


def attendance_list(round_: int) -> documents.AttendanceListData:
    return documents.AttendanceListData(
        cofinancing=COFINANCING,
        project_title="Lider na Rynku Ekonomii Społecznej",
        project_number="WND-POKL.07.02.02-24-03408",
        session_title=f"Forum ekonomii społecznej – spotkanie {round_}",
        date=datetime.date(2025, 3, 12),
        start=datetime.time(10, 0),
        end=datetime.time(14, 30),
        venue="Centrum Szkoleniowe „Źródło”",
        address="ul. Wojewódzka 23, 40-026 Katowice",
        trainer="Małgorzata Jędrzejczyk",
        session_url=f"https://lider.example.org/sesje/{round_}/",
        participants=[name(i, round_) for i in range(300)],
    )


def bare_compiler(source: str, directory: Path) -> typst.Compiler:
    path = directory / f"bare_{abs(hash(source))}.typ"
    path.write_text(source, encoding="utf-8")
    return typst.Compiler(str(path), root=str(directory), ignore_system_fonts=True)


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - start) * 1000, result


def report(label: str, samples: list[float], size: int | None = None) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    size_text = f"{size / 1024:8.0f} KB" if size is not None else " " * 11
    print(
        f"  {label:<34} median {statistics.median(samples):8.1f} ms   p95 {p95:8.1f} ms {size_text}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--certificates", type=int, default=200)
    parser.add_argument("--lists", type=int, default=5, help="attendance lists per round")
    args = parser.parse_args()
    rounds, count = args.rounds, args.certificates
    workdir = Path(tempfile.mkdtemp(prefix="lider-bench-"))
    bare_certificate = bare_compiler(BARE_CERTIFICATE, workdir)
    bare_attendance = bare_compiler(BARE_ATTENDANCE, workdir)

    # Warm up both sides: the first compile loads fonts and parses the templates.
    documents.render_certificate(certificate(0, -1))
    documents.render_attendance_list(attendance_list(-1))
    bare_certificate.compile(sys_inputs=documents._certificates_inputs([certificate(0, -1)], "pl"))
    bare_attendance.compile(sys_inputs=documents._attendance_list_inputs(attendance_list(-1), "pl"))

    print(f"typst {version('typst')}, Python {sys.version.split()[0]}, {rounds} rounds")
    print(f"\n1. {count} separate certificates (2 pages each), ms per certificate")
    ours, inputs_only, bare, size = [], [], [], 0
    for round_ in range(rounds):
        for data in [certificate(i, round_) for i in range(count)]:
            elapsed, pdf = timed(documents.render_certificate, data)
            ours.append(elapsed)
            size = len(pdf)
        for data in [certificate(i, 1000 + round_) for i in range(count)]:
            elapsed, inputs = timed(documents._certificates_inputs, [data], "pl")
            inputs_only.append(elapsed)
            elapsed, pdf = timed(lambda i: bare_certificate.compile(sys_inputs=i), inputs)
            bare.append(elapsed)
    report("ours: render_certificate", ours, size)
    report("ours, inputs only (QR, labels, JSON)", inputs_only)
    report("bare Compiler.compile, same inputs", bare, len(pdf))

    print(f"\n2. {count} certificates in one PDF, ms per certificate")
    ours, bare = [], []
    for round_ in range(rounds):
        batch = [certificate(i, 100 + round_) for i in range(count)]
        elapsed, pdf = timed(documents.render_certificates, batch)
        ours.append(elapsed / count)
        other = [certificate(i, 1100 + round_) for i in range(count)]
        inputs = documents._certificates_inputs(other, "pl")
        elapsed, bare_pdf = timed(lambda i: bare_certificate.compile(sys_inputs=i), inputs)
        bare.append(elapsed / count)
    report("ours: render_certificates", ours, len(pdf))
    report("bare Compiler.compile, same inputs", bare, len(bare_pdf))

    print(f"\n3. Attendance list of 300 rows, ms per list ({args.lists} lists x {rounds} rounds)")
    ours, inputs_only, bare = [], [], []
    for round_ in range(rounds * args.lists):
        data = attendance_list(round_)
        elapsed, pdf = timed(documents.render_attendance_list, data)
        ours.append(elapsed)
        other = attendance_list(1000 + round_)
        elapsed, inputs = timed(documents._attendance_list_inputs, other, "pl")
        inputs_only.append(elapsed)
        elapsed, bare_pdf = timed(lambda i: bare_attendance.compile(sys_inputs=i), inputs)
        bare.append(elapsed)
    report("ours: render_attendance_list", ours, len(pdf))
    report("ours, inputs only (QR, labels, JSON)", inputs_only)
    report("bare Compiler.compile, same inputs", bare, len(bare_pdf))


if __name__ == "__main__":
    main()
