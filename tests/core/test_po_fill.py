"""scripts/po_fill.py leaves the catalogue untouched when only the extraction date changed."""

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def po_fill(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("po_fill", ROOT / "scripts/po_fill.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    catalogue = tmp_path / "django.po"
    shutil.copy(ROOT / "lider/locale/pl/LC_MESSAGES/django.po", catalogue)
    monkeypatch.setattr(module, "PO", catalogue)
    return module


def _redate(path: Path, date: str) -> None:
    """What makemessages does on every run: a new POT-Creation-Date in the header."""
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [
        f'"POT-Creation-Date: {date}\\n"\n' if line.startswith('"POT-Creation-Date:') else line
        for line in text
    ]
    path.write_text("".join(lines), encoding="utf-8")


def test_only_a_new_date_keeps_the_old_file(po_fill, tmp_path):
    assert po_fill.main([]) == 0  # the catalogue as the last fill wrote it
    before = tmp_path / "before.po"
    shutil.copy(po_fill.PO, before)
    _redate(po_fill.PO, "2099-01-01 00:00+0000")
    assert po_fill.main([], before=before) == 0
    assert po_fill.PO.read_bytes() == before.read_bytes()


def test_without_the_old_file_the_new_date_is_written(po_fill, tmp_path):
    _redate(po_fill.PO, "2099-01-01 00:00+0000")
    assert po_fill.main([]) == 0
    assert "POT-Creation-Date: 2099-01-01 00:00+0000" in po_fill.PO.read_text(encoding="utf-8")


def test_a_changed_translation_is_written_with_the_new_date(po_fill, tmp_path):
    before = tmp_path / "before.po"
    shutil.copy(po_fill.PO, before)
    _redate(po_fill.PO, "2099-01-01 00:00+0000")
    table = tmp_path / "table.json"
    table.write_text('{"Polish": "Polszczyzna"}', encoding="utf-8")
    assert po_fill.main([str(table)], before=before) == 0
    text = po_fill.PO.read_text(encoding="utf-8")
    assert 'msgstr "Polszczyzna"' in text
    assert "POT-Creation-Date: 2099-01-01 00:00+0000" in text
