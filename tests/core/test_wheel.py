"""A wheel built from a clean checkout carries the compiled Polish catalogue and the data files.

The .mo files are not in git: the build compiles them. The test copies the tracked files only (so
a catalogue compiled by `make messages` cannot hide a missing build step), builds the wheel with
pip, installs it into a fresh virtual environment that borrows this one's dependencies, and asks
the installed `lider` for a translation. About 15 s; the wheel does not depend on the database,
so `make test` builds it once, in the SQLite run.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
from pathlib import Path
import lider
from django.utils import translation
with translation.override("pl"):
    print(translation.gettext("The installation is ready."))
data = Path(lider.__file__).parent / "territory" / "data"
print(lider.__file__)
print(*sorted(path.relative_to(data).as_posix() for path in data.rglob("*.csv")))
"""


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="built once, in the SQLite run")
@pytest.mark.skipif(shutil.which("git") is None, reason="copies the files git tracks")
def test_a_wheel_from_a_clean_checkout_speaks_polish_and_has_its_data(tmp_path):
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.split(b"\0")
    source = tmp_path / "source"
    for name in filter(None, tracked):
        path = ROOT / name.decode()
        if path.is_file():
            (source / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, source / name.decode())
    assert not list(source.rglob("*.mo")), "the copy must be as clean as a git checkout"

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", source],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("lider-*.whl"))

    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Django and the other dependencies come from this environment (appended after the
    # new one's own site-packages, whose .pth files, such as an editable Lider, are not read).
    Path(site, "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel],
        check=True,
        capture_output=True,
    )

    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["LIDER_DATA_DIR"] = str(tmp_path / "data")
    probe = subprocess.run(
        [target / "bin" / "lider", "shell", "--no-imports", "-c", PROBE],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()

    assert probe[0] == "Instalacja jest gotowa."
    assert probe[1].startswith(site), "the installed wheel, not the source tree, was imported"
    assert probe[2].split() == [
        "TERC_Urzedowy_2021-12-08.csv",
        "degurba/DEGURBA_LAU2_PL_2012.csv",
        "degurba/DGURBA_PT_2014_PL.csv",
    ]
