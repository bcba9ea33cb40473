"""Programme trees: the shipped ones (loaded by a migration) and `lider load_programme`."""

import io

import pytest
from django.core.management import CommandError, call_command

from lider.projects import programme_trees
from lider.projects.models import ProgrammeNode

pytestmark = pytest.mark.django_db

GOOD = (
    "level,code,name,parent\n"
    "programme,FE XX,Fundusze Europejskie dla Testowego 2021–2027,\n"
    "priority,7,Fundusze Europejskie dla rynku pracy,FE XX\n"
    "measure,7.1,Aktywizacja zawodowa,7\n"
    "submeasure,7.1.1,Aktywizacja osób bezrobotnych,7.1\n"
)


def load(tmp_path, text, name="tree.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    out = io.StringIO()
    call_command("load_programme", str(path), stdout=out)
    return out.getvalue()


def snapshot():
    return sorted(ProgrammeNode.objects.values_list("pk", "parent_id", "level", "code", "name"))


def test_shipped_trees_are_in_the_database_after_migrating():
    roots = set(ProgrammeNode.objects.filter(parent=None).values_list("code", flat=True))
    assert {"PO WER", "RPO WSL", "FERS", "FEnIKS", "FE SL"} <= roots
    measure = ProgrammeNode.objects.get(
        code="2.9", parent__code="II", parent__parent__code="PO WER"
    )
    assert measure.level == "measure"
    assert measure.name == "Rozwój ekonomii społecznej"
    fers = ProgrammeNode.objects.get(code="FERS", parent=None)
    assert list(fers.children.order_by("pk").values_list("code", flat=True)) == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
    ]


def test_every_shipped_file_is_valid_and_loading_it_again_changes_nothing():
    before = snapshot()
    results = programme_trees.load_bundled()
    assert len(results) == 5
    assert all(r.created == 0 and r.renamed == 0 and r.unchanged > 0 for r in results)
    assert snapshot() == before


def test_load_programme_loads_a_tree_and_is_idempotent(tmp_path):
    out = load(tmp_path, GOOD)
    assert "4 dodano" in out
    leaf = ProgrammeNode.objects.get(code="7.1.1")
    assert [n.code for n in leaf.lineage()] == ["FE XX", "7", "7.1", "7.1.1"]
    assert [n.level for n in leaf.lineage()] == ["programme", "priority", "measure", "submeasure"]
    before = snapshot()
    assert "4 bez zmian" in load(tmp_path, GOOD)
    assert snapshot() == before


def test_a_renamed_node_is_updated_in_place(tmp_path):
    load(tmp_path, GOOD)
    node = ProgrammeNode.objects.get(code="7.1")
    load(tmp_path, GOOD.replace("Aktywizacja zawodowa", "Aktywizacja zawodowa osób"))
    renamed = ProgrammeNode.objects.get(code="7.1")
    assert (renamed.pk, renamed.name) == (node.pk, "Aktywizacja zawodowa osób")


def test_the_file_may_start_with_a_bom(tmp_path):
    load(tmp_path, "\ufeff".encode() + GOOD.encode())
    assert ProgrammeNode.objects.filter(code="7.1.1").exists()


@pytest.mark.parametrize(
    "text, message",
    [
        (GOOD.replace("measure,7.1,", "miara,7.1,"), "Wiersz 4"),
        (
            GOOD.replace(
                "submeasure,7.1.1,Aktywizacja osób bezrobotnych,7.1", "submeasure,7.1.1,x,7"
            ),
            "Wiersz 5",
        ),
        (GOOD + "measure,7.2,Coś,8\n", "Wiersz 6"),
        (GOOD + "measure,7.1,Drugi raz,7\n", "Wiersz 6"),
        (GOOD + "priority,8," + "n" * 301 + ",FE XX\n", "Wiersz 6"),
        (GOOD + "priority," + "9" * 31 + ",Nazwa,FE XX\n", "Wiersz 6"),
        (GOOD + "programme,DRUGI,Drugi program,\n", "Wiersz 6"),
        (GOOD + "priority,8,Za mało kolumn\n", "Wiersz 6"),
        (GOOD.replace("level,code,name,parent", "poziom,kod,nazwa,rodzic"), "nagłówkiem"),
        ("level,code,name,parent\npriority,1,Bez programu,\n", "Wiersz 2"),
        (GOOD.replace("Aktywizacja zawodowa", "Akty\x00wizacja"), "NUL"),
    ],
)
def test_bad_files_load_nothing_and_say_which_row(tmp_path, text, message):
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        load(tmp_path, text)
    assert message in str(caught.value)
    assert "Nic nie wczytano" in str(caught.value)
    assert snapshot() == before


def test_not_utf8_too_big_and_missing_files_are_refused(tmp_path):
    before = snapshot()
    with pytest.raises(CommandError, match="UTF-8"):
        load(tmp_path, GOOD.encode("utf-16"))
    with pytest.raises(CommandError, match="większy"):
        load(tmp_path, GOOD + ("priority,X,y,FE XX\n" * 60_000))
    with pytest.raises(CommandError, match="Nie ma pliku"):
        call_command("load_programme", str(tmp_path / "brak.csv"))
    assert snapshot() == before


def test_a_code_already_in_the_tree_at_another_level_is_refused_whole(tmp_path):
    load(tmp_path, GOOD)
    # Someone made 7.1 a sub-measure meanwhile: the file says measure, so nothing is written.
    ProgrammeNode.objects.filter(code="7.1").update(level="submeasure")
    before = snapshot()
    with pytest.raises(CommandError, match="7.1"):
        load(tmp_path, GOOD + "measure,7.8,Nowszy,7\n")
    assert snapshot() == before
    assert not ProgrammeNode.objects.filter(code="7.8").exists()


def test_a_new_project_picks_a_shipped_level():
    from lider.projects.forms import ProjectCreateForm

    labels = [label for _, label in ProjectCreateForm().fields["classification"].choices]
    assert (
        "PO WER › II. Efektywne polityki publiczne dla rynku pracy, gospodarki i edukacji › "
        "2.9 Rozwój ekonomii społecznej" in labels
    )
