"""The bounded reader every import uses: hostile files get a Polish message, never the
server's memory or time."""

import dataclasses
import io
import time

import pytest
import xlsxwriter

from lider.core.table_reader import (
    CHUNK_ROWS,
    Limits,
    TableError,
    column_name,
    iter_chunks,
    read_table,
)
from tests.hostile_files import bomb, wide, xlsx


def refusal(content: bytes, filename: str, **limits) -> str:
    with pytest.raises(TableError) as error:
        read_table(content, filename, dataclasses.replace(Limits(), **limits))
    return str(error.value)


def test_an_ordinary_xlsx_and_csv_read_as_stripped_strings():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Imię", " PESEL "])
    sheet.write_row(1, 0, [" Anna ", 2101012345])
    sheet.write(2, 2, 72.5)
    book.close()
    assert read_table(buffer.getvalue(), "a.xlsx") == [
        ["Imię", "PESEL", ""],
        ["Anna", "2101012345", ""],
        ["", "", "72.5"],
    ]
    assert read_table("Imię;PESEL\n Anna ;1\n".encode("cp1250"), "a.CSV") == [
        ["Imię", "PESEL"],
        ["Anna", "1"],
    ]


def test_a_sheet_spread_over_16384_columns_is_refused_quickly():
    content = wide(rows=200)
    assert len(content) < 10_000
    started = time.monotonic()
    message = refusal(content, "szeroki.xlsx")
    assert message == (
        "Arkusz ma 16384 kolumn; import czyta najwyżej 100. Usuń kolumny (lub zabłąkane "
        "komórki) na prawo od danych."
    )
    assert time.monotonic() - started < 10


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    content = bomb(megabytes=40)
    assert len(content) < 100_000
    started = time.monotonic()
    message = refusal(content, "bomba.xlsx")
    assert message.startswith("Plik XLSX jest spakowany znacznie ciaśniej niż arkusz")
    assert time.monotonic() - started < 1  # the directory alone decides


def test_declared_unpacked_size_over_the_limit_is_refused():
    content = xlsx({(0, 0): "a"}, padding=2 * 1024 * 1024)
    message = refusal(content, "a.xlsx", unpacked_bytes=1024 * 1024)
    assert message == "Plik XLSX po rozpakowaniu ma ponad 1 MB: podziel go na mniejsze pliki."


def test_reading_that_needs_too_much_memory_ends_the_child_not_the_server():
    # 1,000 rows × 16,384 columns: a dense grid of half a gigabyte inside the reader.
    message = refusal(wide(rows=1000), "a.xlsx", columns=20_000, memory_bytes=300 * 1024**2)
    assert message.startswith("Odczyt pliku wymaga więcej pamięci, niż może zająć import")


def test_reading_is_bounded_in_time():
    message = refusal(xlsx({(0, 0): "a"}), "a.xlsx", seconds=0.001)
    assert message.startswith("Odczyt pliku trwał dłużej niż 0.001 s i został przerwany")


@pytest.mark.parametrize("filename", ["a.xlsx", "a.csv"])
def test_too_many_rows_are_refused(filename):
    rows = {(r, 0): str(r) for r in range(12)}
    content = xlsx(rows) if filename.endswith("xlsx") else "\n".join(rows.values()).encode()
    assert refusal(content, filename, rows=10) == (
        "Arkusz ma ponad 10 wierszy: podziel go na mniejsze pliki."
    )
    assert len(read_table(content, filename, dataclasses.replace(Limits(), rows=11))) == 12


def test_a_csv_cell_over_128_kb_is_a_message_not_a_500():
    # csv's own limit is 131,072 characters: beyond it the module raises csv.Error.
    content = ("Imię;Nazwisko\n" + "x" * 200_000 + ";Nowak\n").encode()
    assert refusal(content, "a.csv") == (
        "Wiersz 2: komórka ma ponad 2000 znaków, więcej niż przyjmuje którakolwiek kolumna importu."
    )


def test_a_long_cell_is_named_by_row_and_column():
    content = xlsx({(0, 0): "Imię", (0, 1): "Nazwisko", (3, 1): "x" * 2001})
    assert refusal(content, "a.xlsx") == (
        "Wiersz 4, kolumna B: komórka ma ponad 2000 znaków, więcej niż przyjmuje "
        "którakolwiek kolumna importu."
    )


def test_too_many_columns_in_a_csv_are_refused():
    content = (";".join(["a"] * 150) + "\n").encode()
    assert refusal(content, "a.csv").startswith("Arkusz ma 150 kolumn; import czyta najwyżej 100.")


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (b"not a zip", "a.xlsx", "Nie można odczytać pliku jako arkusza XLSX."),
        (b"PK\x03\x04broken", "a.xlsx", "Nie można odczytać pliku jako arkusza XLSX."),
        (b"x" * 30, "a.pdf", "Wczytaj plik XLSX lub CSV."),
    ],
)
def test_broken_or_foreign_files_are_refused(content, filename, message):
    assert refusal(content, filename) == message


def test_a_file_over_the_size_limit_is_refused_unread():
    content = b"a;b\n" * 300_000
    assert refusal(content, "a.csv", file_bytes=1024 * 1024) == "Plik jest większy niż 1 MB."


def test_column_names():
    assert [column_name(i) for i in (0, 25, 26, 16383)] == ["A", "Z", "AA", "XFD"]


@pytest.mark.parametrize(
    "content, filename",
    [
        ("Imię;Nazwisko\nAn\x00na;Nowak\n".encode(), "a.csv"),
        (xlsx({(0, 0): "Imię", (1, 0): "An_x0000_na"}), "a.xlsx"),  # Excel's escape of NUL
    ],
)
def test_a_nul_character_is_refused_by_row_and_column(content, filename):
    assert refusal(content, filename) == (
        "Wiersz 2, kolumna A: komórka zawiera znak NUL, którego nie może zawierać żaden tekst. "
        "Usuń go i wczytaj plik ponownie."
    )


def test_a_sheet_starting_right_of_column_a_keeps_its_columns():
    content = xlsx({(1, 2): "Imię", (2, 1): "x", (2, 2): "Anna"})
    assert read_table(content, "a.xlsx") == [
        ["", "", ""],
        ["", "", "Imię"],
        ["", "x", "Anna"],
    ]


@pytest.mark.parametrize("filename", ["a.xlsx", "a.csv"])
def test_rows_stream_in_chunks_and_a_late_refusal_comes_after_them(filename):
    rows = CHUNK_ROWS * 2 + 10
    cells = {(r, 0): f"w{r}" for r in range(rows)}
    cells[(rows, 0)] = "x" * 2001  # the last row: a cell too long
    if filename.endswith("xlsx"):
        content = xlsx(cells)
    else:
        content = "\n".join(cells[(r, 0)] for r in range(rows + 1)).encode()
    chunks = iter_chunks(content, filename)
    first, second = next(chunks), next(chunks)
    assert [len(first), len(second)] == [CHUNK_ROWS, CHUNK_ROWS]
    assert first[0] == ["w0"] and second[-1] == [f"w{2 * CHUNK_ROWS - 1}"]
    with pytest.raises(TableError) as error:
        next(chunks)
    assert str(error.value).startswith(f"Wiersz {rows + 1}, kolumna A: komórka ma ponad 2000")


def test_a_stream_left_early_ends_the_reading_process():
    content = "\n".join(f"w{r}" for r in range(CHUNK_ROWS * 5)).encode()
    chunks = iter_chunks(content, "a.csv")
    assert next(chunks)[0] == ["w0"]
    child = chunks.gi_yieldfrom.gi_frame.f_locals["child"]  # the process reading the file
    assert child.returncode is None
    chunks.close()
    assert child.returncode is not None
