"""Polish alphabetical order in the database: Ł after L, Ś after S, Ż after Ź after Z.

One collation name, ``lider_pl``, means the same order on both databases:

- PostgreSQL: an ICU collation for Polish (``CREATE COLLATION lider_pl (provider = icu,
  locale = 'pl-PL')``), created by ``core``'s migration 0004;
- SQLite: the Python function :func:`compare`, registered on every new connection.

Text columns of people and places name it as their ``db_collation``, so every ``ORDER BY``
on them (through a relation too) is in Polish order. The SQLite function orders as ICU's
Polish tailoring does at its first level (the Polish alphabet; other accented letters after
their base letter, spaces and punctuation before digits before letters; lower case before upper
case) and compares equal only identical strings, so equality and uniqueness are unchanged.
"""

import functools
import unicodedata

NAME = "lider_pl"

ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Bands of the first level: spaces and punctuation < digits < letters < anything else.
_PUNCTUATION, _DIGIT, _LETTER, _OTHER = 0, 1_000, 2_000, 10_000
_TOP = 0x10FFFF  # the highest code point: weights beyond it (rare symbols) share it


def _primary(character: str) -> tuple[int, int]:
    """(first-level weight, accent weight) of one lower-case character."""
    if character in _RANK:
        return _LETTER + _RANK[character], 0
    decomposed = unicodedata.normalize("NFD", character)
    if decomposed and decomposed[0] in _RANK and decomposed[0] not in "lł":
        return _LETTER + _RANK[decomposed[0]], ord(character)  # é after e, ü after u
    if character.isdigit():
        return _DIGIT + (unicodedata.digit(character, 0)), 0
    if character.isspace() or unicodedata.category(character)[0] in "PSZ":
        return _PUNCTUATION + ord(character) % 1_000, 0
    return _OTHER + ord(character), 0


@functools.lru_cache(maxsize=65_536)
def sort_key(text: str) -> str:
    """A key that sorts texts in Polish order: the three levels of a collation, then the text.

    The levels are spelt as one string of code points (weight + 1, a NUL between levels), so
    that SQLite's many comparisons while sorting are plain string comparisons.
    """
    letters = [_primary(character) for character in text.lower()]
    return "\0".join(
        (
            "".join(chr(min(weight + 1, _TOP)) for weight, _ in letters),
            "".join(chr(min(accent + 1, _TOP)) for _, accent in letters),
            "".join("\2" if character.isupper() else "\1" for character in text),
            text,
        )
    )


def compare(left: str, right: str) -> int:
    """SQLite's collation callback: negative, zero (identical strings only) or positive."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def register(sender, connection, **kwargs) -> None:
    """On every new SQLite connection (a `connection_created` receiver)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME, compare)


def polish(field: str):
    """``order_by(polish("user__last_name"))``: Polish order for a column that does not name
    the collation itself (the names of accounts, which belong to Django's auth app)."""
    from django.db.models.functions import Collate

    return Collate(field, NAME)


CREATE_ON_POSTGRESQL = f"CREATE COLLATION IF NOT EXISTS {NAME} (provider = icu, locale = 'pl-PL')"
DROP_ON_POSTGRESQL = f"DROP COLLATION IF EXISTS {NAME}"
