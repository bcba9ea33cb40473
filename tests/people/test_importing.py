import datetime
import io

import pytest
import xlsxwriter

from lider.people.importing import (
    TableError,
    check_chunks,
    read_table,
    register_gminas,
    validate,
)
from lider.territory.queries import unit_by_code
from tests.hostile_files import bomb, wide

pytestmark = pytest.mark.django_db

HEADER = [
    "Imię", "Nazwisko", "PESEL", "Płeć", "Data urodzenia", "Ulica", "Nr domu", "Nr lokalu",
    "Kod pocztowy", "Miejscowość", "Gmina", "Telefon", "E-mail", "Wykształcenie",
    "Status na rynku pracy",
]  # fmt: skip
GOOD = ["Anna", "Nowak", "90010112349", "K", "1990-01-01", "Polna", "1", "", "42-270",
        "Kłomnice", "2404052", "600100200", "anna@example.pl", "ponadgimnazjalne",
        "bezrobotny zarejestrowany"]  # fmt: skip


def check(rows, taken=()):
    counties = {unit_by_code("2404").pk, unit_by_code("2409").pk}
    return validate(
        [HEADER, *rows], gminas=register_gminas(), county_ids=counties, taken_pesels=set(taken)
    )


def row(**changes):
    values = dict(zip(HEADER, GOOD, strict=True))
    values.update(changes)
    return [values[h] for h in HEADER]


def test_good_row_becomes_a_person():
    result = check([row()])
    assert result.errors == [] and result.duplicates == []
    person = result.people[0]
    assert (person.pesel, person.birth_date, person.sex) == (
        "90010112349",
        datetime.date(1990, 1, 1),
        "K",
    )
    assert person.gmina == unit_by_code("2404052")
    assert (person.education, person.labour_status) == ("isced3", "unemployed_registered")


def test_every_bad_cell_is_explained_by_row_and_column():
    result = check(
        [
            row(),
            row(PESEL="90010112348", **{"Kod pocztowy": "42270x"}),
            row(Imię="", Gmina="2407011", **{"E-mail": "anna@"}),
            row(PESEL="90010112349", Płeć="M", Wykształcenie="doktorat"),
            row(Gmina="Koziegłowy"),
            row(Gmina="Nibylandia", **{"Data urodzenia": "31.02.1990"}),
        ]
    )
    assert [(p.row, p.column, p.message) for p in result.errors] == [
        (3, "PESEL", "Ten PESEL ma błędną cyfrę kontrolną: sprawdź, czy nie ma literówki."),
        (3, "Kod pocztowy", "Kod pocztowy zapisuje się w postaci 00-000."),
        (4, "Imię", "To pole jest wymagane."),
        (4, "Gmina", "Gmina 2407011 leży poza obszarem projektu."),
        (4, "E-mail", "To nie jest prawidłowy adres e-mail."),
        (5, "Płeć", "Płeć nie zgadza się z numerem PESEL."),
        (5, "Wykształcenie", "Nieznany poziom wykształcenia: doktorat."),
        (
            6,
            "Gmina",
            "Na obszarze projektu jest kilka gmin o nazwie Koziegłowy: podaj kod TERC.",
        ),
        (7, "Data urodzenia", "To nie jest data: zapisz ją jako 2009-12-01 lub 01.12.2009."),
        (7, "Gmina", "Nie ma gminy o takim kodzie TERC ani nazwie: Nibylandia."),
    ]
    assert result.bad_rows == [3, 4, 5, 6, 7]


def test_gmina_by_name_or_part():
    result = check(
        [
            row(Gmina="Kłomnice"),
            row(
                PESEL="05210512347", Gmina="Koziegłowy (miasto)", Płeć="", **{"Data urodzenia": ""}
            ),
        ]
    )
    assert result.errors == []
    assert [p.gmina.code for p in result.people] == ["2404052", "2409024"]


def test_duplicates_in_file_and_in_project_are_reported_not_doubled():
    result = check(
        [row(), row(), row(PESEL="05210512347", Płeć="", **{"Data urodzenia": ""})],
        taken={"05210512347"},
    )
    assert result.errors == []
    assert [(p.row, p.message) for p in result.duplicates] == [
        (3, "Ten sam PESEL co w wierszu 2."),
        (4, "Ten PESEL już jest w zgłoszeniach lub wśród uczestników projektu."),
    ]
    assert len(result.people) == 1


def test_missing_columns_refuse_the_file():
    with pytest.raises(TableError) as error:
        validate([["Imię", "PESEL"]], gminas=[], county_ids=set(), taken_pesels=set())
    assert str(error.value) == "W pierwszym wierszu brakuje kolumn: Nazwisko, Gmina."


def test_xlsx_numbers_come_back_as_text_and_pesel_keeps_leading_zeros():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    values = row(PESEL="05210512347", Płeć="", **{"Data urodzenia": ""})
    sheet.write_row(1, 0, values)
    sheet.write_number(1, 2, 5210512347)  # PESEL typed as a number: the zero is lost
    sheet.write_number(1, 10, 2404052)  # TERC code as a number
    sheet.write_number(1, 6, 12)
    book.close()
    table = read_table(buffer.getvalue(), "osoby.xlsx")
    assert table[1][2] == "5210512347" and table[1][6] == "12"
    result = check(table[1:])
    assert result.errors == []
    assert result.people[0].pesel == "05210512347"
    assert result.people[0].birth_date == datetime.date(2005, 1, 5)


@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_with_bom_and_either_delimiter(delimiter):
    text = "\n".join(delimiter.join(r) for r in [HEADER, row()])
    table = read_table(("\ufeff" + text).encode("utf-8"), "osoby.csv")
    assert table[0][0] == "Imię"
    assert check(table[1:]).people[0].last_name == "Nowak"


def test_over_long_cells_are_reported_not_left_to_the_database():
    result = check([row(Nazwisko="N" * 101, Ulica="U" * 100)])
    assert [(p.row, p.column, p.message) for p in result.errors] == [
        (2, "Nazwisko", "Za długie: najwyżej 100 znaków."),
    ]


@pytest.mark.parametrize(
    "pesel, message",
    [
        ("９００１０１１２３４９", "PESEL należy zapisać cyframi 0-9"),
        ("9001011234٩", "PESEL należy zapisać cyframi 0-9"),
        ("30210112341", "oznacza datę urodzenia w przyszłości (2030-01-01)"),
        ("90810112343", "sprzed ponad 120 lat (1890-01-01)"),
    ],
)
def test_pesel_in_other_digits_or_of_no_living_applicant_is_refused(pesel, message):
    result = check([row(PESEL=pesel, Płeć="", **{"Data urodzenia": ""})])
    assert result.people == []
    assert [(p.row, p.column) for p in result.errors] == [(2, "PESEL")]
    assert message in result.errors[0].message


def test_postal_code_in_full_width_digits_is_refused():
    result = check([row(**{"Kod pocztowy": "４２-２７０"})])
    assert result.people == []
    assert [(p.column, p.message) for p in result.errors] == [
        ("Kod pocztowy", "Kod pocztowy zapisuje się w postaci 00-000.")
    ]


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (wide(rows=200), "osoby.xlsx", "Arkusz ma 16384 kolumn; import czyta najwyżej 100."),
        (bomb(megabytes=40), "osoby.xlsx", "Plik XLSX jest spakowany znacznie ciaśniej"),
        (
            ("Imię;Nazwisko\n" + "x" * 140_000 + ";Nowak\n").encode(),
            "osoby.csv",
            "Wiersz 2: komórka ma ponad 2000 znaków",
        ),
    ],
)
def test_hostile_files_are_refused_with_a_polish_message(content, filename, message):
    with pytest.raises(TableError) as error:
        read_table(content, filename)
    assert str(error.value).startswith(message)


def test_a_pesel_lider_holds_is_held_back_with_differences_until_confirmed():
    from tests.factories import PersonFactory

    known = PersonFactory(
        pesel="90010112349", first_name="Ewa", last_name="NOWAK",
        birth_date=datetime.date(1990, 1, 1), sex="K", street="Polna", house_number="1",
        flat_number="", postal_code="42-270",
        city="Kłomnice", gmina=unit_by_code("2404052"), phone="600100200", email="",
        education="isced3", labour_status="unemployed_registered",
    )  # fmt: skip
    other = row(PESEL="05210512347", Płeć="", **{"Data urodzenia": ""})
    result = check([row(), other])
    assert [p.pesel for p in result.people] == ["05210512347"] and result.rows == [3]
    [match] = result.matches
    assert (match.row, match.record, result.links) == (2, known, [])
    # Case and spacing of a name are no difference; an empty record field is.
    assert [(d.label, d.recorded, d.given) for d in match.differences] == [
        ("imię", "Ewa", "Anna"),
        ("e-mail", "—", "anna@example.pl"),
    ]

    counties = {unit_by_code("2404").pk, unit_by_code("2409").pk}
    confirmed = validate(
        [HEADER, row(), other],
        gminas=register_gminas(),
        county_ids=counties,
        taken_pesels=set(),
        confirmed=frozenset({2, 3}),  # 3 is new anyway: confirming it changes nothing
    )
    assert [p.pesel for p in confirmed.people] == ["90010112349", "05210512347"]
    assert confirmed.rows == [2, 3] and confirmed.matches == []
    assert [(m.row, m.record) for m in confirmed.links] == [(2, known)]


def test_the_import_reads_every_data_field_of_a_person():
    """The import's columns and its row objects are the model's data fields, no more, no less:
    a field added to Person fails here until the import reads it."""
    import dataclasses

    from lider.people.fields import PERSON_FIELDS
    from lider.people.importing import FIELDS, PersonRow

    assert sorted(FIELDS) == sorted(PERSON_FIELDS)
    assert [f.name for f in dataclasses.fields(PersonRow)] == [*FIELDS, "pk"]


def test_checking_in_chunks_hands_people_on_and_keeps_none():
    other = row(PESEL="05210512347", Płeć="", **{"Data urodzenia": ""})
    chunks = [[HEADER, row()], [other, row(Imię="Ewa")], [row(Gmina="")]]
    taken = []

    result = check_chunks(
        chunks,
        gminas=register_gminas(),
        county_ids={unit_by_code("2404").pk, unit_by_code("2409").pk},
        taken_pesels=set(),
        take=lambda people, rows, held: taken.append(rows),
    )

    assert taken == [[2], [3]]  # the third chunk has an error: nothing more is handed on
    assert (result.people, result.rows, result.ready, result.total) == ([], [], 2, 4)
    assert [(p.row, p.message) for p in result.duplicates] == [(4, "Ten sam PESEL co w wierszu 2.")]
    assert [(p.row, p.column) for p in result.errors] == [(5, "Gmina")]


def test_the_same_document_number_twice_is_a_duplicate_in_any_chunk():
    header = HEADER + ["Rodzaj dokumentu", "Numer dokumentu"]

    def by_document(number, name="Jan"):
        no_pesel = row(PESEL="", Imię=name, Płeć="M", **{"Data urodzenia": "1970-03-04"})
        return no_pesel + ["paszport", number]

    chunks = [
        [header, by_document("AB 123"), by_document("ab123", "Janek")],
        [by_document(" AB123 ", "Jaś"), by_document("XY 9")],
    ]
    taken = []

    result = check_chunks(
        chunks,
        gminas=register_gminas(),
        county_ids={unit_by_code("2404").pk, unit_by_code("2409").pk},
        taken_pesels=set(),
        take=lambda people, rows, held: taken.append(rows),
    )

    assert result.errors == []
    assert [(p.row, p.column, p.message) for p in result.duplicates] == [
        (3, "Numer dokumentu", "Ten sam numer dokumentu co w wierszu 2."),
        (4, "Numer dokumentu", "Ten sam numer dokumentu co w wierszu 2."),
    ]
    assert taken == [[2], [5]]  # neither duplicate is handed on to be written
