"""Peak memory of a people import against the number of rows (issue 15: 371 MiB at 100k).

Run: .venv/bin/python bench/bench_import_memory.py [--rows 10000 100000]

For each size it writes an XLSX of N people (bench_import.make_file), then imports it in a
fresh Python process (a throw-away SQLite database, or DATABASE_URL) the way the office's
"Import" job does — read in chunks, check every cell, save chunk by chunk in one transaction
(recruitment.import_jobs.import_content) — and prints, for that process, the peak of
Python allocations (tracemalloc), the peak resident size (ru_maxrss) of the process and of
the bounded child process that reads the file (lider.core.table_reader), beside the same
figures for the bare floor: python-calamine reading the sheet into Python values.
The office's limit of 20,000 rows a file is lifted for the measurement.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, resource, sys, tracemalloc
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
mode, path = sys.argv[1], sys.argv[2]
import bench_import  # django.setup(), migrate below
from django.conf import settings
from django.core.management import call_command
# The office's limit is 20,000 rows a file; the bench lifts it to see how memory grows.
settings.LIDER_IMPORT_LIMITS = {{
    "rows": 1_000_000, "seconds": 1800, "memory_bytes": 16 * 1024**3,
    "characters": 10**9, "unpacked_bytes": 4 * 1024**3, "file_bytes": 1024**3,
}}
call_command("migrate", verbosity=0)
project = bench_import.make_project(0)
content = open(path, "rb").read()
tracemalloc.start()
if mode == "floor":
    import io
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    count = len(rows) - 1
else:
    from django.db import transaction
    from lider.recruitment import import_jobs
    with transaction.atomic():  # as the import job: streamed, checked and written in chunks
        checked, count = import_jobs.import_content(
            project, content, filename="osoby.xlsx", actor=None, consents_signed=True,
            target_group=project.target_groups.get(),
        )
peak = tracemalloc.get_traced_memory()[1]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the reading process
print(json.dumps({{"rows": count, "peak": peak, "rss": rss, "child": child}}))
"""


def measure(mode: str, path: str) -> dict:
    env = dict(os.environ)
    if "DATABASE_URL" not in env:
        env["LIDER_DATA_DIR"] = tempfile.mkdtemp(prefix="lider-bench-mem-")
    code = CHILD.format(root=str(ROOT), bench=str(ROOT / "bench"))
    done = subprocess.run(
        [sys.executable, "-c", code, mode, path],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_import
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # the register of gminas the file is written from
    mib = 1024 * 1024
    for rows in args.rows:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            handle.write(bench_import.make_file(rows))
            handle.flush()
            floor = measure("floor", handle.name)
            ours = measure("import", handle.name)
        assert ours["rows"] == rows, ours
        print(
            f"{rows:>7} rows  import: peak Python {ours['peak'] / mib:7.1f} MiB, "
            f"max RSS {ours['rss'] / mib:7.1f} MiB (reader process {ours['child'] / mib:6.1f})   "
            f"floor (calamine to_python): peak {floor['peak'] / mib:7.1f} MiB, "
            f"max RSS {floor['rss'] / mib:7.1f} MiB"
        )


if __name__ == "__main__":
    main()
