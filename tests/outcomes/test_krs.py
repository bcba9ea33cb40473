"""The KRS client against a local HTTP server that answers like api-krs.ms.gov.pl.

The fixtures under ``fixtures/`` are fictitious entities (checksums valid) written in the
OdpisAktualny format of domain.md section 5 and of captured real responses: padded REGONs,
masked board members, upper-case strings, dd.mm.yyyy dates. No test touches the network.
"""

import datetime
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.messages.extract import extract_from_file
from django.core.cache import cache
from django.core.exceptions import ValidationError

from lider.outcomes import krs as krs_module
from lider.outcomes.krs import (
    FOUND_CACHE_SECONDS,
    NOT_FOUND_CACHE_SECONDS,
    KrsEntity,
    KrsError,
    KrsNotFound,
    KrsUnavailable,
    LegalFormCode,
    fetch_extract,
    legal_form_code,
    parse_extract,
)

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/api/krs/OdpisAktualny/"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeKrsApi(ThreadingHTTPServer):
    """Serves the fixture extracts; ``mode`` makes every answer fail in one way."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeKrsHandler)
        self.extracts: dict[tuple[str, str], bytes] = {}
        self.struck_off: set[tuple[str, str]] = set()
        # None, "hang", "500", "broken", "maintenance", "redirect", "drip", "drip-headers",
        # "nested", "deep", "huge", "tampered" (answers self.tampered)
        self.mode: str | None = None
        self.tampered = b""
        self.requests: list[tuple[str, str]] = []
        self.queries: list[dict] = []
        self.headers: list[dict] = []
        self.release = threading.Event()
        for path in FIXTURES.glob("odpis_aktualny_*_*.json"):
            _, _, register, number = path.stem.split("_")
            self.extracts[number, register] = path.read_bytes()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class FakeKrsHandler(BaseHTTPRequestHandler):
    server: FakeKrsApi

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        number = url.path.removeprefix(PREFIX)
        register = query.get("rejestr", [""])[0]
        self.server.requests.append((number, register))
        self.server.queries.append(query)
        self.server.headers.append(dict(self.headers))
        mode = self.server.mode
        if mode == "hang":
            self.server.release.wait(10)
            return
        if mode == "slow-404-then-hang":
            if register == "S":
                time.sleep(0.9)
                return self.answer(404, b"", "text/plain")
            self.server.release.wait(10)
            return
        if mode == "redirect":  # to the other register's extract, which exists
            self.send_response(302)
            self.send_header("Location", f"{PREFIX}0000234567?rejestr=P&format=json")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode in {"drip", "drip-headers"}:
            return self.drip(
                self.server.extracts["0000123456", "S"], headers=mode == "drip-headers"
            )
        if mode == "nested":
            depth = 200_000
            return self.answer(200, b'{"odpis": ' + b"[" * depth + b"]" * depth + b"}")
        if mode == "deep":  # the real extract with an extra part nested 60 levels deep
            payload = json.loads(self.server.extracts["0000123456", "S"])
            deep = 1
            for _ in range(60):
                deep = {"a": deep}
            payload["odpis"]["dane"]["dzial9"] = deep
            return self.answer(200, json.dumps(payload).encode())
        if mode == "huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            self.wfile.write(b'{"odpis": "' + b"x" * 65536)
            return
        if mode == "tampered":  # the fixture with the values the test put in
            return self.answer(200, self.server.tampered)
        if mode == "500":
            return self.answer(500, b"Internal Server Error", "text/plain")
        if mode == "broken":
            return self.answer(200, b'{"odpis": {"rodzaj": "Aktualny", "naglowekA": {')
        if mode == "maintenance":
            page = b"<html><body><h1>Przerwa techniczna</h1></body></html>"
            return self.answer(200, page, "text/html; charset=utf-8")
        if not url.path.startswith(PREFIX) or query.get("format") != ["json"]:
            return self.answer(400, b"Bad Request", "text/plain")
        if (number, register) in self.server.struck_off:
            return self.answer(204, b"")
        body = self.server.extracts.get((number, register))
        if body is None:
            return self.answer(404, b"", "text/plain")
        return self.answer(200, body)

    def drip(self, body: bytes, *, headers: bool):
        """A byte every 20 ms (of the headers, or of the body) for three seconds, then the
        rest: each byte comes well within any per-read timeout."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if headers:
            self.wfile.write(b"".join(self._headers_buffer))
            self._headers_buffer = []
            self.wfile.flush()
            chunk, body = b"X-Slow: " + b"y" * 4000 + b"\r\n\r\n" + body, b""
        else:
            self.end_headers()
            chunk = body
        try:
            for i in range(150):  # three seconds, then the rest at once
                if self.server.release.wait(0.02):
                    return
                self.wfile.write(chunk[i : i + 1])
                self.wfile.flush()
            self.wfile.write(chunk[150:])
        except OSError:
            return

    def answer(self, status: int, body: bytes, content_type="application/json; charset=utf-8"):
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def krs_api(settings):
    server = FakeKrsApi()
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    settings.KRS_API_URL = server.url
    settings.KRS_API_TIMEOUT = 2
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_fetch_extract_association_parses_every_field(krs_api):
    entity = fetch_extract("0000123456")

    assert entity == KrsEntity(
        krs="0000123456",
        register="S",
        name="STOWARZYSZENIE PRZYKŁADOWE INICJATYWY LOKALNE",
        legal_form="STOWARZYSZENIE",
        legal_form_code=LegalFormCode.ASSOCIATION,
        registration_date=datetime.date(2010, 10, 28),
        nip="5731234560",
        regon="241234560",
        voivodeship="ŚLĄSKIE",
        county="M. CZĘSTOCHOWA",
        gmina="M. CZĘSTOCHOWA",
        city="CZĘSTOCHOWA",
        street="UL. PRZYKŁADOWA",
        house_number="1",
        flat_number="",
        postal_code="42-200",
        post_office="CZĘSTOCHOWA",
        stan_z_dnia=datetime.date(2011, 3, 10),
        raw={},
    )
    assert entity.raw == load("odpis_aktualny_S_0000123456.json")
    assert entity.legal_form_code == "association"
    assert krs_api.requests == [("0000123456", "S")]


def test_fetch_extract_social_cooperative_parses_every_field(krs_api):
    entity = fetch_extract("234567")

    assert entity == KrsEntity(
        krs="0000234567",
        register="P",
        name='SPÓŁDZIELNIA SOCJALNA "PRZYKŁADOWA KUCHNIA"',
        legal_form="SPÓŁDZIELNIA",
        legal_form_code=LegalFormCode.SOCIAL_COOPERATIVE,
        registration_date=datetime.date(2011, 2, 14),
        nip="9471234564",
        regon="150345671",
        voivodeship="ŁÓDZKIE",
        county="M. ŁÓDŹ",
        gmina="M. ŁÓDŹ",
        city="ŁÓDŹ",
        street="UL. PRZYKŁADOWA",
        house_number="17",
        flat_number="4",
        postal_code="90-001",
        post_office="ŁÓDŹ",
        stan_z_dnia=datetime.date(2012, 6, 1),
        raw={},
    )
    assert entity.raw == load("odpis_aktualny_P_0000234567.json")


def test_fetch_extract_foundation_without_nip_or_street(krs_api):
    entity = fetch_extract("KRS0000345678")

    assert entity == KrsEntity(
        krs="0000345678",
        register="S",
        name="FUNDACJA PRZYKŁADOWEGO ROZWOJU WSI",
        legal_form="FUNDACJA",
        legal_form_code=LegalFormCode.FOUNDATION,
        registration_date=datetime.date(2011, 7, 5),
        nip="",
        regon="361234126",
        voivodeship="MAŁOPOLSKIE",
        county="WADOWICKI",
        gmina="WADOWICE",
        city="ZAWADKA",
        street="",
        house_number="12",
        flat_number="",
        postal_code="34-100",
        post_office="WADOWICE",
        stan_z_dnia=datetime.date(2011, 9, 19),
        raw={},
    )


def test_fetch_extract_entity_is_frozen(krs_api):
    entity = fetch_extract("0000123456")

    with pytest.raises(AttributeError):
        entity.name = "X"


@pytest.mark.parametrize("value", ["KRS0000123456", "123456", "0000123456", " krs 123456 "])
def test_fetch_extract_input_forms_normalise(krs_api, value):
    entity = fetch_extract(value)

    assert entity.krs == "0000123456"
    assert krs_api.requests == [("0000123456", "S")]


def test_fetch_extract_request_has_documented_path_and_query(krs_api):
    fetch_extract("123456")

    assert krs_api.requests == [("0000123456", "S")]
    assert krs_api.queries == [{"rejestr": ["S"], "format": ["json"]}]
    assert krs_api.headers[0]["Accept"] == "application/json"


def test_fetch_extract_base_url_trailing_slash_is_ignored(krs_api, settings):
    settings.KRS_API_URL = krs_api.url + "/"

    assert fetch_extract("123456").krs == "0000123456"


def test_fetch_extract_without_register_falls_back_from_s_to_p(krs_api):
    entity = fetch_extract("0000234567")

    assert entity.register == "P"
    assert krs_api.requests == [("0000234567", "S"), ("0000234567", "P")]


@pytest.mark.parametrize("register", ["P", "p"])
def test_fetch_extract_with_register_asks_only_that_register(krs_api, register):
    with pytest.raises(KrsNotFound):
        fetch_extract("0000123456", register=register)

    assert krs_api.requests == [("0000123456", "P")]


def test_fetch_extract_with_register_s_finds_association(krs_api):
    entity = fetch_extract("0000123456", register="S")

    assert entity.register == "S"
    assert krs_api.requests == [("0000123456", "S")]


def test_fetch_extract_unknown_register_is_rejected_before_request(krs_api):
    with pytest.raises(ValueError):
        fetch_extract("0000123456", register="X")

    assert krs_api.requests == []


@pytest.mark.parametrize("value", ["ABC", "12345678901", "KRS", ""])
def test_fetch_extract_malformed_number_is_rejected_before_request(krs_api, value):
    with pytest.raises(ValidationError) as error:
        fetch_extract(value)

    assert error.value.code == "krs"
    assert krs_api.requests == []


def test_fetch_extract_unknown_number_in_both_registers_is_not_found(krs_api):
    with pytest.raises(KrsNotFound) as error:
        fetch_extract("999")

    assert error.value.krs == "0000000999"
    assert error.value.struck_off is False
    assert "0000000999" in str(error.value)
    assert isinstance(error.value, KrsError)
    assert krs_api.requests == [("0000000999", "S"), ("0000000999", "P")]


def test_fetch_extract_struck_off_entity_is_not_found(krs_api):
    krs_api.struck_off.add(("0000555555", "S"))

    with pytest.raises(KrsNotFound) as error:
        fetch_extract("555555")

    assert error.value.struck_off is True
    assert "0000555555" in str(error.value)
    assert krs_api.requests == [("0000555555", "S"), ("0000555555", "P")]


def test_fetch_extract_timeout_is_unavailable(krs_api, settings):
    settings.KRS_API_TIMEOUT = 0.2
    krs_api.mode = "hang"
    started = time.monotonic()

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000123456")

    assert time.monotonic() - started < 1.5
    assert error.value.message == krs_module.TIMEOUT_MESSAGE
    assert "0000123456" in str(error.value)
    assert krs_api.requests == [("0000123456", "S")]


def test_fetch_extract_server_error_is_unavailable(krs_api):
    krs_api.mode = "500"

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000234567")

    assert error.value.message == krs_module.STATUS_MESSAGE
    assert error.value.params["status"] == 500
    assert "500" in str(error.value)
    assert krs_api.requests == [("0000234567", "S")]


def test_fetch_extract_malformed_json_is_unavailable(krs_api):
    krs_api.mode = "broken"

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000123456")

    assert error.value.message == krs_module.MALFORMED_MESSAGE


def test_fetch_extract_maintenance_page_is_unavailable(krs_api):
    krs_api.mode = "maintenance"

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000123456")

    assert error.value.message == krs_module.MALFORMED_MESSAGE


def test_fetch_extract_json_of_another_shape_is_unavailable(krs_api):
    krs_api.extracts["0000123456", "S"] = b'{"komunikat": "brak danych"}'

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000123456")

    assert error.value.message == krs_module.MALFORMED_MESSAGE


def test_fetch_extract_refused_connection_is_unavailable(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.KRS_API_URL = f"http://127.0.0.1:{port}"

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000123456")

    assert error.value.message == krs_module.CONNECTION_MESSAGE


def test_fetch_extract_second_call_is_served_from_cache(krs_api):
    first = fetch_extract("0000234567")

    second = fetch_extract("KRS0000234567")

    assert second == first
    assert second.raw == first.raw
    assert krs_api.requests == [("0000234567", "S"), ("0000234567", "P")]


def test_fetch_extract_not_found_is_cached(krs_api):
    with pytest.raises(KrsNotFound):
        fetch_extract("999")

    with pytest.raises(KrsNotFound):
        fetch_extract("999")

    assert len(krs_api.requests) == 2


def test_fetch_extract_cache_is_per_register(krs_api):
    with pytest.raises(KrsNotFound):
        fetch_extract("0000123456", register="P")

    entity = fetch_extract("0000123456")

    assert entity.register == "S"
    assert krs_api.requests == [("0000123456", "P"), ("0000123456", "S")]


def test_fetch_extract_failure_is_not_cached(krs_api):
    krs_api.mode = "500"
    with pytest.raises(KrsUnavailable):
        fetch_extract("0000123456")
    krs_api.mode = None

    entity = fetch_extract("0000123456")

    assert entity.krs == "0000123456"
    assert len(krs_api.requests) == 2


def test_fetch_extract_cache_lifetimes(krs_api, monkeypatch):
    stored = {}

    class RecordingCache:
        def get(self, key):
            return None

        def set(self, key, value, timeout):
            stored[key] = timeout

    monkeypatch.setattr(krs_module, "cache", RecordingCache())

    fetch_extract("0000234567")

    assert stored == {
        "krs:odpis-aktualny:S:0000234567": NOT_FOUND_CACHE_SECONDS,
        "krs:odpis-aktualny:P:0000234567": FOUND_CACHE_SECONDS,
    }
    assert FOUND_CACHE_SECONDS == 24 * 60 * 60
    assert NOT_FOUND_CACHE_SECONDS < FOUND_CACHE_SECONDS


@pytest.mark.parametrize(
    "legal_form, name, expected",
    [
        ("STOWARZYSZENIE", "STOWARZYSZENIE X", "association"),
        ("STOWARZYSZENIE KULTURY FIZYCZNEJ", "KLUB SPORTOWY X", "association"),
        ("ZWIĄZEK STOWARZYSZEŃ", "FEDERACJA X", "association"),
        ("FUNDACJA", "FUNDACJA X", "foundation"),
        ("SPÓŁDZIELNIA", "SPÓŁDZIELNIA SOCJALNA X", "social_cooperative"),
        ("SPÓŁDZIELNIA", "X SPÓŁDZIELNIA SOCJALNA", "social_cooperative"),
        ("SPÓŁDZIELNIA SOCJALNA", "KUCHNIA X", "social_cooperative"),
        ("SPÓŁDZIELNIA", "SPÓŁDZIELNIA PRACY X", "cooperative"),
        ("SPÓŁDZIELNIA", "SPÓŁDZIELNIA INWALIDÓW X", "cooperative"),
        ("SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ", "X SP. Z O.O.", "company"),
        ("SPÓŁKA AKCYJNA", "X S.A.", "company"),
        ("PROSTA SPÓŁKA AKCYJNA", "X P.S.A.", "company"),
        ("KOŁO GOSPODYŃ WIEJSKICH", "KGW X", "other"),
        ("", "X", "other"),
    ],
)
def test_legal_form_code_maps_krs_forms(legal_form, name, expected):
    assert legal_form_code(legal_form, name) == expected


def test_parse_extract_keeps_nine_digit_regon():
    payload = load("odpis_aktualny_S_0000123456.json")
    payload["odpis"]["dane"]["dzial1"]["danePodmiotu"]["identyfikatory"]["regon"] = "241234560"

    assert parse_extract(payload).regon == "241234560"


def test_parse_extract_keeps_invalid_identifier_as_given():
    payload = load("odpis_aktualny_S_0000123456.json")
    payload["odpis"]["dane"]["dzial1"]["danePodmiotu"]["identyfikatory"]["nip"] = "5731234561"

    assert parse_extract(payload).nip == "5731234561"


def test_parse_extract_other_number_or_register_is_unavailable():
    payload = load("odpis_aktualny_S_0000123456.json")

    with pytest.raises(KrsUnavailable):
        parse_extract(payload, krs="0000000001", register="S")
    with pytest.raises(KrsUnavailable):
        parse_extract(payload, krs="0000123456", register="P")


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        {"odpis": None},
        {"odpis": {"naglowekA": {"rejestr": "RejS", "numerKRS": "0000123456"}}},
        {"odpis": {"naglowekA": {"rejestr": "RejX", "numerKRS": "1"}, "dane": {}}},
        {"odpis": {"naglowekA": "RejS"}},
    ],
)
def test_parse_extract_wrong_shape_is_unavailable(payload):
    with pytest.raises(KrsUnavailable):
        parse_extract(payload)


def test_parse_extract_wrong_date_is_unavailable():
    payload = load("odpis_aktualny_S_0000123456.json")
    payload["odpis"]["naglowekA"]["dataRejestracjiWKRS"] = "2010-10-28"

    with pytest.raises(KrsUnavailable):
        parse_extract(payload)


def test_messages_have_polish_translations():
    table = json.loads((ROOT / "scripts/translations/krs.json").read_text(encoding="utf-8"))
    msgids = {
        message for _, message, _, _ in extract_from_file("python", str(Path(krs_module.__file__)))
    }

    assert msgids
    assert msgids <= set(table)
    assert all(table[msgid] for msgid in msgids)
    assert all(table[msgid].count("%(krs)s") == msgid.count("%(krs)s") for msgid in msgids)


# Hostile answers of the register (issue 11): none may hold the request past the timeout, be
# followed elsewhere, or exhaust the server; each is "unavailable", which offers the manual path.


@pytest.mark.parametrize("mode", ["drip", "drip-headers"])
def test_fetch_extract_slow_drip_is_cut_off_at_the_timeout(krs_api, settings, mode):
    settings.KRS_API_TIMEOUT = 0.5
    krs_api.mode = mode
    started = time.monotonic()

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000123456", register="S")

    assert time.monotonic() - started < 1.5
    assert error.value.message == krs_module.TIMEOUT_MESSAGE


def test_fetch_extract_does_not_follow_a_redirect(krs_api):
    krs_api.mode = "redirect"

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000123456", register="S")

    assert error.value.message == krs_module.STATUS_MESSAGE
    assert error.value.params["status"] == 302
    assert krs_api.requests == [("0000123456", "S")]


@pytest.mark.parametrize("mode", ["nested", "deep", "huge"])
def test_fetch_extract_refuses_nested_or_huge_json(krs_api, mode):
    krs_api.mode = mode

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000123456", register="S")

    assert error.value.message == krs_module.MALFORMED_MESSAGE
    assert cache.get("krs:odpis-aktualny:S:0000123456") is None


def tampered(change) -> bytes:
    payload = load("odpis_aktualny_S_0000123456.json")
    change(payload["odpis"])
    return json.dumps(payload).encode()


def _set(path, value):
    def change(odpis):
        *parents, last = path
        node = odpis
        for key in parents:
            node = node[key]
        node[last] = value

    return change


ENTITY = ("dane", "dzial1", "danePodmiotu")
ADDRESS = ("dane", "dzial1", "siedzibaIAdres", "adres")


@pytest.mark.parametrize(
    "path, value",
    [
        ((*ENTITY, "nazwa"), "FUNDACJA " + "X" * 400),
        ((*ENTITY, "formaPrawna"), "F" * 101),
        ((*ENTITY, "identyfikatory", "nip"), "5" * 21),
        ((*ENTITY, "identyfikatory", "regon"), "2" * 5000),
        ((*ADDRESS, "ulica"), "UL. " + "D" * 300),
        (("naglowekA", "numerKRS"), "0" * 50 + "123456"),
        ((*ENTITY, "nazwa"), "FUNDACJA\x00"),
        ((*ENTITY, "nazwa"), 10**400),
    ],
    ids=["name", "legal-form", "nip", "regon", "street", "krs", "nul", "huge-number"],
)
def test_fetch_extract_refuses_over_long_texts(krs_api, path, value):
    krs_api.mode = "tampered"
    krs_api.tampered = tampered(_set(path, value))

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000123456", register="S")

    assert error.value.message == krs_module.MALFORMED_MESSAGE


def test_fetch_extract_one_deadline_for_both_registers(krs_api, settings):
    """Register S answers "not found" slowly; asking P may use only what time is left."""
    settings.KRS_API_TIMEOUT = 1.0
    krs_api.mode = "slow-404-then-hang"
    started = time.monotonic()

    with pytest.raises(KrsUnavailable) as error:
        fetch_extract("0000123456")

    assert time.monotonic() - started < 1.6  # one timeout per register: 1.9 s
    assert error.value.message == krs_module.TIMEOUT_MESSAGE
