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

Sorting many rows on SQLite calls the collation once per comparison (about 17 per row for
100,000 rows), each time from C into Python. An ORDER BY that sorts a whole project instead
orders by :func:`polish`: on SQLite the key function ``lider_pl_key`` (:func:`sort_key` as
bytes, computed once per row and compared by SQLite itself), on PostgreSQL the ICU collation.
Both give the order the collation gives.
"""

import functools
import unicodedata

from django.db.models import Func, TextField

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


class _Weights(dict):
    """{code point: the character's weight at one level, as one character}, filled on first
    use, so that a level of a whole text is one ``str.translate``. Only code points below
    ``_CACHED`` are kept (every alphabet a name is written in): a text of rare symbols cannot
    grow the table without bound."""

    def __init__(self, weigh):
        super().__init__()
        self.weigh = weigh

    def __missing__(self, code: int) -> str:
        weight = self.weigh(chr(code))
        if code < _CACHED:
            self[code] = weight
        return weight


_CACHED = 0x3000
_LETTERS = _Weights(lambda character: chr(min(_primary(character)[0] + 1, _TOP)))
_ACCENTS = _Weights(lambda character: chr(min(_primary(character)[1] + 1, _TOP)))
_CASES = _Weights(lambda character: "\2" if character.isupper() else "\1")


@functools.lru_cache(maxsize=65_536)
def sort_key(text: str) -> str:
    """A key that sorts texts in Polish order: the three levels of a collation, then the text.

    The levels are spelt as one string of code points (weight + 1, a NUL between levels), so
    that SQLite's many comparisons while sorting are plain string comparisons.
    """
    lowered = text.lower()
    return "\0".join(
        (lowered.translate(_LETTERS), lowered.translate(_ACCENTS), text.translate(_CASES), text)
    )


def compare(left: str, right: str) -> int:
    """SQLite's collation callback: negative, zero (identical strings only) or positive."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def key_bytes(text: str | None) -> bytes | None:
    """SQLite's ``lider_pl_key(text)``: :func:`sort_key` as bytes that compare as it does
    (each code point in four big-endian bytes), so that SQLite sorts by them without calling
    back into Python. Not cached: each row's key is computed once."""
    if text is None:
        return None
    return sort_key.__wrapped__(text).encode("utf-32-be", "surrogatepass")


KEY_FUNCTION = "lider_pl_key"


def register(sender, connection, **kwargs) -> None:
    """On every new SQLite connection (a `connection_created` receiver)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME, compare)
        connection.connection.create_function(KEY_FUNCTION, 1, key_bytes, deterministic=True)


class PolishOrder(Func):
    """An ORDER BY term in Polish order for a text column: on PostgreSQL the ICU collation, on
    SQLite the key function (computed once per row; the collation would be called back for
    each of the sort's comparisons)."""

    function = KEY_FUNCTION
    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} COLLATE {connection.ops.quote_name(NAME)}", params

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, **extra_context)


def polish(field: str) -> PolishOrder:
    """``order_by(polish("user__last_name"))``: Polish order for a column, also one that does
    not name the collation itself (the names of accounts, which belong to Django's auth app),
    and the fast order of a large list on SQLite."""
    return PolishOrder(field)


CREATE_ON_POSTGRESQL = f"CREATE COLLATION IF NOT EXISTS {NAME} (provider = icu, locale = 'pl-PL')"
DROP_ON_POSTGRESQL = f"DROP COLLATION IF EXISTS {NAME}"
