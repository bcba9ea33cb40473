import dataclasses
import datetime
import io
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pypdf
import pypdfium2
import pytest
import zxingcpp

from lider.core import documents
from lider.core.documents import (
    AttendanceListData,
    CertificateData,
    ProgrammeItem,
    ReportChart,
    ReportData,
    ReportSection,
    ReportTable,
)

COFINANCING = (
    "Projekt współfinansowany ze środków Unii Europejskiej w ramach Europejskiego Funduszu"
    " Społecznego"
)
GLYPHS = "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"
FIRST_NAMES = ["Łukasz", "Żaneta", "Śmiałek", "Ćwiklina", "Jędrzej", "Ńina", "Źdźisław", "Óla"]
LAST_NAMES = ["Żółkiewski", "Gęślarz", "Świątek", "Dąbrowska", "Łęcka"]
NAMES = [f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES]  # 40 names
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 90 60">'
    '<rect width="90" height="60" fill="#039"/></svg>'
)


def attendance_list(**changes):
    data = AttendanceListData(
        cofinancing=COFINANCING,
        project_title="Lider na Rynku Ekonomii Społecznej",
        project_number="WND-POKL.07.02.02-24-03408",
        session_title="Zakładanie spółdzielni socjalnej – moduł 1",
        date=datetime.date(2025, 3, 12),
        start=datetime.time(10, 0),
        end=datetime.time(14, 30),
        venue="Centrum Szkoleniowe „Źródło”",
        address="ul. Wojewódzka 23, 40-026 Katowice",
        trainer="Małgorzata Jędrzejczyk",
        session_url="https://lider.example.org/sesje/123/",
        participants=NAMES,
        logos=[LOGO, LOGO],
    )
    return dataclasses.replace(data, **changes)


def certificate(**changes):
    data = CertificateData(
        cofinancing=COFINANCING,
        title="ZAŚWIADCZENIE",
        subtitle="o ukończeniu szkolenia",
        full_name="Łukasz Żółkiewski",
        project_title="Lider na Rynku Ekonomii Społecznej",
        project_number="WND-POKL.07.02.02-24-03408",
        training_title="Zakładanie i prowadzenie spółdzielni socjalnej",
        hours=Decimal("16.5"),
        start_date=datetime.date(2025, 3, 10),
        end_date=datetime.date(2025, 3, 12),
        place="Katowice, ul. Wojewódzka 23",
        number="ZAŚ/2025/00001",
        issue_date=datetime.date(2025, 3, 14),
        issue_place="Katowice",
        verification_url="https://lider.example.org/weryfikacja/7F3K-Q9ZD/",
        verification_code="7F3K-Q9ZD",
        programme=[
            ProgrammeItem("Ekonomia społeczna – podstawy prawne", 4),
            ProgrammeItem("Spółdzielnia socjalna: założenie i rejestracja w KRS", 10),
            ProgrammeItem("Współpraca z samorządem", Decimal("2.5")),
        ],
        signatory="Anna Źrebiec, koordynatorka projektu",
        logos=[LOGO, LOGO, LOGO],
    )
    return dataclasses.replace(data, **changes)


def report(**changes):
    data = ReportData(
        title="Sprawozdanie z postępu realizacji projektu",
        subtitle="Okres od 1 stycznia do 30 czerwca 2025",
        cofinancing=COFINANCING,
        date=datetime.date(2025, 7, 5),
        sections=[
            ReportSection(
                "Uczestnicy",
                paragraphs=["Do projektu przystąpiło 128 osób, w tym 74 kobiety."],
                tables=[
                    ReportTable(
                        ["Powiat", "Kobiety", "Mężczyźni", "Udział"],
                        [["będziński", 1234, 20, Decimal("0.39")], ["żywiecki", 4, None, 0.5]],
                        caption="Uczestnicy według powiatu",
                    )
                ],
            ),
            ReportSection(
                "Wskaźniki",
                charts=[ReportChart(LOGO, caption="Uczestnicy w kolejnych kwartałach")],
            ),
        ],
    )
    return dataclasses.replace(data, **changes)


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page with whitespace runs collapsed to one space."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def qr_codes(pdf: bytes, page: int = 0) -> list[str]:
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=2).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_qr_svg_decodes_to_url():
    svg = documents.qr_svg("https://lider.example.org/q/ŻÓŁW")

    pdf = documents.render_report(report(sections=[ReportSection("QR", charts=[ReportChart(svg)])]))

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert qr_codes(pdf) == ["https://lider.example.org/q/ŻÓŁW"]


def test_attendance_list_spans_two_pages_with_header_and_page_numbers():
    pdf = documents.render_attendance_list(attendance_list(), lang="pl")

    first, second = pages_text(pdf)
    for text in (first, second):
        assert COFINANCING in text
        assert "Lista obecności" in text
        assert "Projekt: Lider na Rynku Ekonomii Społecznej" in text
        assert "Numer projektu: WND-POKL.07.02.02-24-03408" in text
        assert "Zajęcia: Zakładanie spółdzielni socjalnej – moduł 1" in text
        assert "Data: 12 marca 2025" in text
        assert "Godziny: 10:00–14:30" in text
        assert "Miejsce: Centrum Szkoleniowe „Źródło”, ul. Wojewódzka 23, 40-026 Katowice" in text
        assert "Trener: Małgorzata Jędrzejczyk" in text
        assert "Lp. Imię i nazwisko Podpis" in text
    assert "Strona 1 z 2" in first
    assert "Strona 2 z 2" in second
    assert "Podpis trenera" not in first
    assert "Podpis trenera Małgorzata Jędrzejczyk" in second


def test_attendance_list_numbers_every_participant_once():
    pdf = documents.render_attendance_list(attendance_list(blank_rows=2), lang="pl")

    text = " ".join(pages_text(pdf))
    for number, name in enumerate(NAMES, start=1):
        assert text.count(f" {number}. {name} ") == 1, name
    assert " 41. 42. " in text
    assert " 43. " not in text


def test_attendance_list_qr_code_links_to_session_on_every_page():
    pdf = documents.render_attendance_list(attendance_list(), lang="pl")

    assert qr_codes(pdf, page=0) == ["https://lider.example.org/sesje/123/"]
    assert qr_codes(pdf, page=1) == ["https://lider.example.org/sesje/123/"]


def test_attendance_list_in_english_has_english_labels_and_dates():
    pdf = documents.render_attendance_list(attendance_list(), lang="en")

    first, second = pages_text(pdf)
    assert "Attendance list" in first
    assert "No. Full name Signature" in first
    assert "Date: March 12, 2025" in first
    assert "Page 1 of 2" in first
    assert "Trainer's signature Małgorzata Jędrzejczyk" in second


def test_attendance_list_keeps_polish_diacritics():
    pdf = documents.render_attendance_list(attendance_list(participants=[GLYPHS]), lang="pl")

    (text,) = pages_text(pdf)
    assert f"1. {GLYPHS}" in text


def test_data_is_printed_as_text_never_as_markup():
    name = '#pagebreak() *bold* $x^2$ <label> @ref [link] "quotes" \\ #{1 + 1}'

    pdf = documents.render_attendance_list(attendance_list(participants=[name]), lang="pl")

    (text,) = pages_text(pdf)
    assert f"1. {name}" in text


def test_certificate_front_page_carries_every_detail():
    pdf = documents.render_certificate(certificate(), lang="pl")

    front, programme = pages_text(pdf)
    assert front.startswith(COFINANCING)
    for expected in [
        "ZAŚWIADCZENIE o ukończeniu szkolenia",
        "Niniejszym zaświadcza się, że Łukasz Żółkiewski ukończył(a) szkolenie",
        "„Zakładanie i prowadzenie spółdzielni socjalnej”",
        "realizowane w ramach projektu „Lider na Rynku Ekonomii Społecznej”",
        "Numer projektu: WND-POKL.07.02.02-24-03408",
        "Termin: od 10 marca 2025 do 12 marca 2025",
        "Miejsce: Katowice, ul. Wojewódzka 23",
        "Liczba godzin: 16,5",
        "Katowice, 14 marca 2025",
        "Miejscowość i data wydania",
        "Podpis osoby upoważnionej",
        "Anna Źrebiec, koordynatorka projektu",
        "Numer dokumentu: ZAŚ/2025/00001",
        "Kod weryfikacyjny: 7F3K-Q9ZD",
        "Autentyczność dokumentu można sprawdzić pod adresem:"
        " https://lider.example.org/weryfikacja/7F3K-Q9ZD/",
    ]:
        assert expected in front
    assert qr_codes(pdf, page=0) == ["https://lider.example.org/weryfikacja/7F3K-Q9ZD/"]


def test_certificate_second_page_lists_the_programme_with_total():
    pdf = documents.render_certificate(certificate(), lang="pl")

    _, programme = pages_text(pdf)
    assert "Program szkolenia" in programme
    assert "Numer dokumentu: ZAŚ/2025/00001" in programme
    assert "Lp. Temat Liczba godzin" in programme
    assert "1. Ekonomia społeczna – podstawy prawne 4" in programme
    assert "2. Spółdzielnia socjalna: założenie i rejestracja w KRS 10" in programme
    assert "3. Współpraca z samorządem 2,5" in programme
    assert programme.endswith("Razem 16,5")


@pytest.mark.parametrize(
    ("gender", "phrase"),
    [("female", "ukończyła szkolenie"), ("male", "ukończył szkolenie")],
)
def test_certificate_uses_the_gendered_polish_form(gender, phrase):
    pdf = documents.render_certificate(certificate(gender=gender), lang="pl")

    assert f"Łukasz Żółkiewski {phrase}" in pages_text(pdf)[0]


def test_certificate_on_one_day_shows_one_date_in_english():
    one_day = certificate(end_date=datetime.date(2025, 3, 10), gender="female")

    front, programme = pages_text(documents.render_certificate(one_day, lang="en"))

    assert "This is to certify that Łukasz Żółkiewski completed the training" in front
    assert "Dates: March 10, 2025 Place:" in front
    assert "Number of hours: 16.5" in front
    assert "You can check this document at:" in front
    assert programme.endswith("Total 16.5")


def test_certificate_without_programme_is_one_page():
    pdf = documents.render_certificate(certificate(programme=[], logos=[]), lang="pl")

    (front,) = pages_text(pdf)
    assert "Łukasz Żółkiewski" in front
    assert "Program szkolenia" not in front


def test_certificates_merge_into_one_pdf_two_pages_each():
    people = [("Łukasz Żółkiewski", "A1"), ("Żaneta Gęślarz", "B2"), ("Ola Świątek", "C3")]
    batch = [
        certificate(
            full_name=name,
            number=f"ZAŚ/2025/{code}",
            verification_url=f"https://lider.example.org/weryfikacja/{code}/",
        )
        for name, code in people
    ]

    pdf = documents.render_certificates(batch, lang="pl")

    texts = pages_text(pdf)
    assert len(texts) == 6
    for index, (name, code) in enumerate(people):
        assert f"Niniejszym zaświadcza się, że {name} ukończył(a)" in texts[2 * index]
        assert f"Numer dokumentu: ZAŚ/2025/{code}" in texts[2 * index + 1]
        assert qr_codes(pdf, page=2 * index) == [f"https://lider.example.org/weryfikacja/{code}/"]


def test_render_certificates_refuses_an_empty_list():
    with pytest.raises(ValueError):
        documents.render_certificates([], lang="pl")


def test_report_shows_sections_tables_and_charts():
    pdf = documents.render_report(report(), lang="pl")

    (text,) = pages_text(pdf)
    assert text.startswith(
        f"{COFINANCING} Sprawozdanie z postępu realizacji projektu"
        " Okres od 1 stycznia do 30 czerwca 2025 5 lipca 2025"
    )
    assert "1. Uczestnicy Do projektu przystąpiło 128 osób, w tym 74 kobiety." in text
    assert "Tabela 1: Uczestnicy według powiatu" in text
    assert "Powiat Kobiety Mężczyźni Udział" in text
    assert "będziński 1 234 20 0,39" in text
    assert "żywiecki 4 0,5" in text
    assert "2. Wskaźniki" in text
    assert "Wykres 1: Uczestnicy w kolejnych kwartałach" in text
    assert text.endswith("Strona 1 z 1")


def test_report_table_repeats_its_header_on_every_page():
    rows = [[f"Gmina {number}", number] for number in range(1, 121)]
    long_table = ReportSection("Gminy", tables=[ReportTable(["Gmina", "Uczestnicy"], rows)])

    texts = pages_text(documents.render_report(report(sections=[long_table]), lang="pl"))

    assert len(texts) >= 2
    for page, text in enumerate(texts, start=1):
        assert "Gmina Uczestnicy" in text
        assert f"Strona {page} z {len(texts)}" in text
    joined = " ".join(texts)
    assert all(f"Gmina {number} {number} " in joined for number in range(1, 121))


def test_threads_can_render_at_the_same_time():
    names = [f"Osoba {number}" for number in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = list(
            pool.map(lambda name: documents.render_certificate(certificate(full_name=name)), names)
        )

    for pdf, name in zip(pdfs, names, strict=True):
        assert f"zaświadcza się, że {name} ukończył(a) szkolenie" in pages_text(pdf)[0]


def test_same_data_gives_the_same_bytes():
    first = documents.render_certificate(certificate(), lang="pl")
    second = documents.render_certificate(certificate(), lang="pl")

    assert first == second


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        documents.render_attendance_list(attendance_list(), lang="de")
