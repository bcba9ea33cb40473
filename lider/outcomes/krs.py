"""Client for the public KRS API (api-krs.ms.gov.pl): the current extract of one entity.

``fetch_extract("KRS0000123456")`` returns a :class:`KrsEntity` parsed from the
``OdpisAktualny`` JSON. Without a register it asks register S (associations, foundations)
first and then register P (entrepreneurs, where cooperatives and social cooperatives are
registered).

Errors:

* :class:`KrsNotFound` -- no register holds the number (HTTP 404), or the entity was struck
  off (HTTP 204, ``struck_off`` is then true). This is an answer, not a failure.
* :class:`KrsUnavailable` -- the register could not give an answer: timeout, refused
  connection, a 5xx or other unexpected status, or a body that is not the expected JSON (the
  maintenance page "Przerwa techniczna" is HTML). **The caller must not treat this as "not
  found"**: it falls back to manual confirmation of the entity (a person checks the extract
  on ekrs.ms.gov.pl and confirms), and may try again later.
* A malformed KRS number raises Django's ``ValidationError`` (code ``"krs"``) from
  :func:`lider.projects.identifiers.normalise_krs` before any request is made.

Successful extracts are cached through Django's cache for a day and "not found" answers for an
hour, both per (KRS number, register); failures are not cached. The cache holds the raw JSON,
so a cached extract is parsed by the current code.

Settings, read at call time: ``KRS_API_URL`` (default ``https://api-krs.ms.gov.pl``) and
``KRS_API_TIMEOUT`` in seconds (default 5): the time a whole look-up may take, from
connecting to the last byte of the last register asked (a server that drips its answer is cut
off when it is up).

What the register sends is bounded before it is used: a redirect is an unexpected status (never
followed), a body over ``MAX_RESPONSE_BYTES`` or JSON nested deeper than ``MAX_DEPTH`` is
malformed, and so is an extract whose name, legal form, identifiers or address parts are longer
than any real one. An identifier that does not validate is kept as given (it is shown as a
difference); :func:`lider.outcomes.services.verify_from_krs` never saves it.
"""

import contextlib
import datetime
import enum
import json
import logging
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lider.projects.identifiers import normalise_krs, normalise_nip, normalise_regon

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api-krs.ms.gov.pl"
DEFAULT_TIMEOUT = 5.0
FOUND_CACHE_SECONDS = 24 * 60 * 60
NOT_FOUND_CACHE_SECONDS = 60 * 60
MAX_RESPONSE_BYTES = 2 * 1024 * 1024  # a real extract is tens of kilobytes
MAX_DEPTH = 20  # a real extract nests objects about eight deep
# Longest text accepted from an extract for each kind of field (longer: not a real extract).
MAX_NAME = 300  # FoundedEntity.name and krs_name
MAX_LEGAL_FORM = 100  # FoundedEntity.krs_legal_form
MAX_IDENTIFIER = 20  # NIP, REGON as given ("PL 573-123-45-60")
MAX_ADDRESS_PART = 200
REGISTERS = ("S", "P")
USER_AGENT = "lider (KRS extract client; +https://api-krs.ms.gov.pl)"

_NOT_FOUND = "not-found"
_STRUCK_OFF = "struck-off"


class LegalFormCode(enum.StrEnum):
    """Lider's institution legal forms, as far as a KRS extract can tell them."""

    ASSOCIATION = "association"
    FOUNDATION = "foundation"
    SOCIAL_COOPERATIVE = "social_cooperative"
    COOPERATIVE = "cooperative"
    COMPANY = "company"
    OTHER = "other"


class KrsError(Exception):
    """Base class; ``str(error)`` is the message in the active language."""

    message = _("The National Court Register (KRS) could not be queried.")

    def __init__(self, krs: str, message=None, **params: Any):
        self.krs = krs
        if message is not None:
            self.message = message
        self.params = {"krs": krs, **params}
        super().__init__(krs)

    def __str__(self) -> str:
        return str(self.message) % self.params


class KrsNotFound(KrsError):
    message = _("No entity with KRS number %(krs)s was found in the National Court Register.")

    def __init__(self, krs: str, *, struck_off: bool = False):
        self.struck_off = struck_off
        message = (
            _("The entity with KRS number %(krs)s has been struck off the National Court Register.")
            if struck_off
            else None
        )
        super().__init__(krs, message)


class KrsUnavailable(KrsError):
    message = _(
        "The National Court Register did not give an answer for KRS number %(krs)s. "
        "Confirm the entity manually or try again later."
    )


TIMEOUT_MESSAGE = _(
    "The National Court Register did not answer in time (KRS number %(krs)s). "
    "Confirm the entity manually or try again later."
)
CONNECTION_MESSAGE = _(
    "The National Court Register cannot be reached (KRS number %(krs)s). "
    "Confirm the entity manually or try again later."
)
STATUS_MESSAGE = _(
    "The National Court Register answered with error %(status)s (KRS number %(krs)s). "
    "Confirm the entity manually or try again later."
)
MALFORMED_MESSAGE = _(
    "The National Court Register sent data that cannot be read (KRS number %(krs)s). "
    "Confirm the entity manually or try again later."
)


@dataclass(frozen=True)
class KrsEntity:
    """One entity as its current KRS extract describes it; strings as KRS gives them."""

    krs: str
    register: str  # "P" or "S"
    name: str
    legal_form: str  # formaPrawna as given, e.g. "STOWARZYSZENIE"
    legal_form_code: LegalFormCode
    registration_date: datetime.date | None
    nip: str  # ten digits, or "" when the extract has none
    regon: str  # nine (or fourteen) digits, or "" when the extract has none
    voivodeship: str
    county: str
    gmina: str
    city: str
    street: str
    house_number: str
    flat_number: str
    postal_code: str
    post_office: str
    stan_z_dnia: datetime.date | None  # the date the extract's data are current at
    raw: dict = field(compare=False, repr=False)


def fetch_extract(krs: str, *, register: str | None = None) -> KrsEntity:
    """The current extract of ``krs`` from register ``register`` ("P"/"S"), or S then P."""
    number = normalise_krs(krs)
    if register is None:
        registers = REGISTERS
    elif register.upper() in REGISTERS:
        registers = (register.upper(),)
    else:
        raise ValueError(f"KRS register must be 'P' or 'S', not {register!r}")
    struck_off = False
    # One deadline for the whole look-up, whichever registers it asks.
    deadline = time.monotonic() + float(getattr(settings, "KRS_API_TIMEOUT", DEFAULT_TIMEOUT))
    for name in registers:
        answer = _extract(number, name, deadline)
        if isinstance(answer, dict):
            return parse_extract(answer, krs=number, register=name)
        struck_off = struck_off or answer == _STRUCK_OFF
    raise KrsNotFound(number, struck_off=struck_off)


def parse_extract(payload: Any, *, krs: str = "", register: str = "") -> KrsEntity:
    """Parse an OdpisAktualny JSON document; ``krs``/``register``, when given, must match it."""
    try:
        return _parse(payload, krs, register)
    except (AttributeError, TypeError, ValueError, ValidationError) as error:
        raise KrsUnavailable(krs, MALFORMED_MESSAGE) from error


def legal_form_code(legal_form: str, name: str = "") -> LegalFormCode:
    """Map formaPrawna (and, for cooperatives, the name) to Lider's legal form."""
    form = legal_form.upper()
    if "STOWARZYSZ" in form:
        return LegalFormCode.ASSOCIATION
    if form.startswith("FUNDACJA"):
        return LegalFormCode.FOUNDATION
    if form.startswith("SPÓŁDZIELNIA"):
        # KRS may give the generic "SPÓŁDZIELNIA"; a social cooperative shows in its name.
        if "SOCJALN" in form or "SOCJALN" in name.upper():
            return LegalFormCode.SOCIAL_COOPERATIVE
        return LegalFormCode.COOPERATIVE
    if form.startswith(("SPÓŁKA", "PROSTA SPÓŁKA")):
        return LegalFormCode.COMPANY
    return LegalFormCode.OTHER


def _cache_key(krs: str, register: str) -> str:
    return f"krs:odpis-aktualny:{register}:{krs}"


def _extract(krs: str, register: str, deadline: float) -> dict | str:
    """The JSON of one register's extract, or _NOT_FOUND / _STRUCK_OFF; cached."""
    key = _cache_key(krs, register)
    cached = cache.get(key)
    if cached is not None:
        return cached
    answer = _request(krs, register, deadline)
    seconds = FOUND_CACHE_SECONDS if isinstance(answer, dict) else NOT_FOUND_CACHE_SECONDS
    cache.set(key, answer, seconds)
    return answer


def _request(krs: str, register: str, deadline: float) -> dict | str:
    base = getattr(settings, "KRS_API_URL", DEFAULT_API_URL).rstrip("/")
    timeout = deadline - time.monotonic()
    if timeout <= 0:
        raise KrsUnavailable(krs, TIMEOUT_MESSAGE)
    query = urllib.parse.urlencode({"rejestr": register, "format": "json"})
    url = f"{base}/api/krs/OdpisAktualny/{krs}?{query}"
    try:
        status, body = _get(url, timeout)
    except _Deadline as error:
        logger.warning("KRS API %s did not answer within %s s", url, timeout)
        raise KrsUnavailable(krs, TIMEOUT_MESSAGE) from error
    except _TooLarge as error:
        logger.warning("KRS API %s sent more than %s bytes", url, MAX_RESPONSE_BYTES)
        raise KrsUnavailable(krs, MALFORMED_MESSAGE) from error
    except (OSError, HTTPException, ValueError) as error:
        logger.warning("KRS API %s failed: %r", url, error)
        raise KrsUnavailable(krs, CONNECTION_MESSAGE) from error
    if status == 404:
        return _NOT_FOUND
    if status == 204:
        return _STRUCK_OFF
    if status != 200:  # a redirect too: the register's answer is never looked for elsewhere
        logger.warning("KRS API %s answered HTTP %s", url, status)
        raise KrsUnavailable(krs, STATUS_MESSAGE, status=status)
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as error:  # also UnicodeDecodeError; HTML maintenance
        logger.warning("KRS API %s sent no JSON: %r", url, body[:200])
        raise KrsUnavailable(krs, MALFORMED_MESSAGE) from error
    if _too_deep(payload):
        logger.warning("KRS API %s sent JSON nested deeper than %s", url, MAX_DEPTH)
        raise KrsUnavailable(krs, MALFORMED_MESSAGE)
    # Parse now, so that a malformed document is never cached as a found extract.
    parse_extract(payload, krs=krs, register=register)
    return payload


class _Deadline(Exception):
    """The whole exchange took longer than the timeout."""


class _TooLarge(Exception):
    """The answer is larger than MAX_RESPONSE_BYTES."""


def _get(url: str, timeout: float) -> tuple[int, bytes]:
    """(status, body) of one GET, within ``timeout`` seconds in all, redirects not followed.

    ``urllib`` applies its timeout to each read of the socket, so a server that sends a byte
    a second holds the request (and the office's page) for as long as it likes. Here a timer
    shuts the socket when the time is up, whatever phase the exchange is in.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    connection_class = HTTPSConnection if parts.scheme == "https" else HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    expired = threading.Event()
    sockets = []  # the connected socket: the response may outlive the connection's hold on it

    def expire():
        expired.set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(timeout, expire)
    timer.daemon = True
    timer.start()
    response = None
    try:
        connection.connect()
        sockets.append(connection.sock)
        if expired.is_set():
            raise _Deadline
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(
            "GET", target, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        response = connection.getresponse()
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
            raise _TooLarge
        body = response.read(MAX_RESPONSE_BYTES + 1)
        if len(body) > MAX_RESPONSE_BYTES:
            raise _TooLarge
        if expired.is_set():
            raise _Deadline
        return response.status, body
    except (TimeoutError, OSError, HTTPException) as error:
        if expired.is_set() or isinstance(error, TimeoutError):
            raise _Deadline from error
        raise
    finally:
        timer.cancel()
        if response is not None:
            response.close()
        connection.close()
        for sock in sockets:
            sock.close()


def _too_deep(value, limit: int | None = None) -> bool:
    """Whether JSON ``value`` nests more than MAX_DEPTH objects/arrays (without recursion)."""
    limit = MAX_DEPTH if limit is None else limit
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _parse(payload: dict, krs: str, register: str) -> KrsEntity:
    odpis = payload.get("odpis") if isinstance(payload, dict) else None
    if not isinstance(odpis, dict):
        raise ValueError("no 'odpis' object")
    header = _section(odpis, "naglowekA")
    data = _section(odpis, "dane")
    part1 = _section(data, "dzial1")
    entity = _section(part1, "danePodmiotu")
    identifiers = _section(entity, "identyfikatory")
    seat_and_address = _section(part1, "siedzibaIAdres")
    seat = _section(seat_and_address, "siedziba")
    address = _section(seat_and_address, "adres")

    number = normalise_krs(_text(header, "numerKRS"))
    register_name = _text(header, "rejestr").removeprefix("Rej").upper()
    if register_name not in REGISTERS:
        raise ValueError(f"unknown register {register_name!r}")
    if (krs and number != krs) or (register and register_name != register):
        raise ValueError(f"asked for {krs} in {register}, got {number} in {register_name}")
    name = _text(entity, "nazwa", MAX_NAME)
    if not name:
        raise ValueError("no name")
    legal_form = _text(entity, "formaPrawna", MAX_LEGAL_FORM)
    return KrsEntity(
        krs=number,
        register=register_name,
        name=name,
        legal_form=legal_form,
        legal_form_code=legal_form_code(legal_form, name),
        registration_date=_date(_text(header, "dataRejestracjiWKRS")),
        nip=_identifier(normalise_nip, _text(identifiers, "nip", MAX_IDENTIFIER)),
        regon=_identifier(normalise_regon, _text(identifiers, "regon", MAX_IDENTIFIER)),
        voivodeship=_text(seat, "wojewodztwo", MAX_ADDRESS_PART),
        county=_text(seat, "powiat", MAX_ADDRESS_PART),
        gmina=_text(seat, "gmina", MAX_ADDRESS_PART),
        city=_text(address, "miejscowosc", MAX_ADDRESS_PART)
        or _text(seat, "miejscowosc", MAX_ADDRESS_PART),
        street=_text(address, "ulica", MAX_ADDRESS_PART),
        house_number=_text(address, "nrDomu", MAX_ADDRESS_PART),
        flat_number=_text(address, "nrLokalu", MAX_ADDRESS_PART),
        postal_code=_text(address, "kodPocztowy", MAX_ADDRESS_PART),
        post_office=_text(address, "poczta", MAX_ADDRESS_PART),
        stan_z_dnia=_date(_text(header, "stanZDnia")),
        raw=payload,
    )


def _section(mapping: dict, key: str) -> dict:
    value = mapping.get(key) or {}
    if not isinstance(value, dict):
        raise ValueError(f"{key!r} is not an object")
    return value


def _text(mapping: dict, key: str, limit: int = 40) -> str:
    """The text at ``key``; longer than ``limit`` it is not a real extract (ValueError)."""
    value = mapping.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{key!r} is not text")
    text = str(value).strip() if isinstance(value, str) else str(value)
    if len(text) > limit or "\x00" in text:
        raise ValueError(f"{key!r} is longer than {limit} characters or holds a NUL")
    return text


def _date(value: str) -> datetime.date | None:
    return datetime.datetime.strptime(value, "%d.%m.%Y").date() if value else None


def _identifier(normalise, value: str) -> str:
    """Normalised, or the value as given when KRS holds one that does not validate."""
    if not value:
        return ""
    try:
        return normalise(value)
    except ValidationError:
        logger.warning("KRS extract holds an invalid identifier %r", value)
        return value
