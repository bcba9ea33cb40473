"""The registry of measurement kinds: how an indicator's value is computed from the records.

An indicator names a measure by key and gives its parameters as JSON (``{"task": 12}``,
``{"task_kind": "forum", "county": "2409"}``). Each measure knows

* the records it counts — :meth:`Measure.records` returns the queryset of exactly those rows
  (participants, sessions, entities, attendance marks), for a period or cumulatively, which
  the drill-down view lists;
* where a record's sex and county are, so one grouped query gives the total, the women/men
  split and the split by county;
* how to aggregate: count distinct records, or sum the hours of attendance marks, or a share
  (records of one measure as a percentage of another's).

Measures read other apps' tables by relation names only (``certificates__status``), so an app
that is not installed simply leaves its measures out of :func:`available`.

By subject: what a measure is, the registry and every measure (`definitions`), computing a
figure (`computing`).
"""

from lider.reporting.measures.computing import compute, parts, percent, share
from lider.reporting.measures.definitions import (
    ATTENDED,
    CUMULATIVE,
    PERSON_COUNTY,
    PERSON_SEX,
    REGISTRY,
    SESSION_COUNTY,
    TASK,
    TOOK_PART,
    Figure,
    Measure,
    Param,
    Period,
    available,
    choices,
    get,
    register,
)

__all__ = [
    "ATTENDED",
    "CUMULATIVE",
    "Figure",
    "Measure",
    "PERSON_COUNTY",
    "PERSON_SEX",
    "Param",
    "Period",
    "REGISTRY",
    "SESSION_COUNTY",
    "TASK",
    "TOOK_PART",
    "available",
    "choices",
    "compute",
    "get",
    "parts",
    "percent",
    "register",
    "share",
]
