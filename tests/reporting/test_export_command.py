import io

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from lider.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_export_command_writes_the_profile_and_audits(demo_project, tmp_path):
    target = tmp_path / "sl2014.xlsx"
    out = io.StringIO()
    call_command(
        "export_participants",
        demo_project.slug,
        "sl2014",
        str(target),
        user="koordynator",
        stdout=out,
    )
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert "PESEL" in rows[0]
    assert len(rows) > 100
    assert "participants" in out.getvalue()
    entry = AuditEntry.objects.filter(action="export").latest("pk")
    assert entry.actor.username == "koordynator"


def test_export_command_refuses_a_trainer(demo_project, tmp_path):
    with pytest.raises(CommandError, match="nie może eksportować"):
        call_command(
            "export_participants",
            demo_project.slug,
            "sl2014",
            str(tmp_path / "x.xlsx"),
            user="trener",
        )
    assert not (tmp_path / "x.xlsx").exists()
