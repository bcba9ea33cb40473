import pytest
import xlsxwriter
from django.core.management import CommandError, call_command

from lider.territory.models import Unit, Urbanisation
from lider.territory.queries import unit_by_code
from lider.territory.urbanisation import degrees_of, gmina_key, gminas_missing

pytestmark = pytest.mark.django_db


def test_bundled_editions_classify_the_seed_counties_gminas():
    units = [unit_by_code(code) for code in ("2464011", "2409011", "2407011")]

    degrees = degrees_of(units)

    assert [degrees[unit.pk] for unit in units] == [("1", 2014), ("2", 2014), ("2", 2014)]
    assert Urbanisation.objects.filter(edition=2012).count() == 2479
    assert Urbanisation.objects.filter(edition=2014).count() == 2479


def test_an_older_edition_is_read_when_asked_for():
    rural = Unit.objects.filter(code="2404022").first() or unit_by_code("2404042")

    assert degrees_of([rural], edition=2012)[rural.pk][1] == 2012


def test_parts_of_a_gmina_and_warsaw_districts_take_the_whole_gminas_class():
    parts = list(Unit.objects.filter(code__startswith="240902", gmina_type__in=["4", "5"]))
    bemowo = unit_by_code("1465028")

    degrees = degrees_of([*parts, bemowo])

    assert len(parts) == 2
    assert {degrees[part.pk] for part in parts} == {degrees_of([parts[0]])[parts[0].pk]}
    assert degrees[bemowo.pk] == ("1", 2014)


def test_kts_and_terc_codes_reduce_to_the_same_gmina():
    assert gmina_key("224466401") == gmina_key("PL224466401") == gmina_key("2464011") == "246401"
    assert gmina_key("１２３") is None
    assert gmina_key("12") is None


def write_xlsx(path, rows):
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    book.close()


def test_a_newer_edition_loads_beside_the_older_and_reports_what_it_lacks(tmp_path, capsys):
    path = tmp_path / "degurba2020.xlsx"
    write_xlsx(
        path,
        [
            ["LAU CODE", "LAU NAME", "DEGURBA"],
            ["2464011", "Częstochowa", 1],
            ["2409011", "Myszków", 3],
        ],
    )

    call_command("load_degurba", str(path), "--edition", "2020")
    call_command("load_degurba", str(path), "--edition", "2020")

    out = capsys.readouterr().out
    myszkow = unit_by_code("2409011")
    assert "Dodano 2 " in out and "Dodano 0 " in out
    assert degrees_of([myszkow])[myszkow.pk] == ("3", 2020)
    assert degrees_of([myszkow], edition=2014)[myszkow.pk] == ("2", 2014)
    missing = {unit.code for unit in gminas_missing(2020)}
    assert "2464011" not in missing and "2409011" not in missing
    assert {code for code in missing if code.startswith("2404")}
    assert f"{sorted(missing)[0]} " in out


def test_a_bad_file_names_every_bad_row_and_stores_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("NSI,DGURBA_CLA\n224466401,1\n22446,2\n224460901,7\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("load_degurba", str(path), "--edition", "2021")

    assert "wiersz 3" in str(error.value) and "wiersz 4" in str(error.value)
    assert not Urbanisation.objects.filter(edition=2021).exists()


def test_a_gmina_the_edition_does_not_classify_is_reported_not_guessed():
    Urbanisation.objects.filter(edition=2014, gmina_code="240901").delete()
    myszkow = unit_by_code("2409011")

    assert [unit.code for unit in gminas_missing(2014)] == ["2409011"]
    assert degrees_of([myszkow], edition=2014) == {}
