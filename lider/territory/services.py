"""Loading the TERC register."""

import csv
import datetime
from pathlib import Path

from django.db import transaction

BUNDLED_TERC = Path(__file__).resolve().parent / "data" / "TERC_Urzedowy_2021-12-08.csv"


def read_terc(path: Path) -> list[dict]:
    """Rows of a TERC 'urzędowy' CSV as dicts, parents before children."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter=";") if row.get("WOJ")]
    return sorted(rows, key=lambda row: (row["WOJ"], row["POW"], row["GMI"], row["RODZ"]))


def load_terc(path: Path = BUNDLED_TERC, *, unit_model=None) -> int:
    """Store every unit of the register that is not stored yet; returns how many were added.

    Idempotent: units are keyed by (code, reference date), so loading the same file twice adds
    nothing and loading a newer register adds its units beside the older ones.
    `unit_model` lets a data migration pass its historical model.

    The one place the register is written. It only adds: a stored unit is never changed or
    deleted, so a gmina that a newer register puts in another county (under a new code, as
    the code holds the county's) is a new unit, and every record keeps the unit, and so the
    county, it was entered with. No pre-aggregated figure grouped by county can go stale
    (`lider.reporting.freshness`); a person moved to a unit of the new register is a save of
    the person, which marks their projects' totals stale like any other. When the load
    commits, `register_loaded` is sent: the names the newest register gives a code are shown
    on pages, so the cached public pages are dropped (`lider.website.cache_signals`).
    """
    live = unit_model is None  # not a migration's historical model: tell the layers above
    if unit_model is None:
        from lider.territory.models import Unit as unit_model

    rows = read_terc(path)
    dates = {row["STAN_NA"] for row in rows}
    existing = {
        (code, date.isoformat())
        for code, date in unit_model.objects.filter(reference_date__in=dates).values_list(
            "code", "reference_date"
        )
    }
    added = 0
    with transaction.atomic():
        by_key = {}
        for level, pick in (
            ("voivodeship", _is_voivodeship),
            ("county", _is_county),
            ("gmina", _is_gmina),
        ):
            batch = []
            for row in filter(pick, rows):
                code = row["WOJ"] + row["POW"] + row["GMI"] + row["RODZ"]
                key = (code, row["STAN_NA"])
                if key in existing:
                    continue
                batch.append(
                    unit_model(
                        code=code,
                        level=level,
                        gmina_type=row["RODZ"],
                        name=row["NAZWA"],
                        description=row["NAZWA_DOD"],
                        parent_id=by_key.get(_parent_key(row)),
                        reference_date=datetime.date.fromisoformat(row["STAN_NA"]),
                    )
                )
            unit_model.objects.bulk_create(batch, batch_size=500)
            added += len(batch)
            by_key.update(
                ((code, date.isoformat()), pk)
                for pk, code, date in unit_model.objects.filter(
                    level=level, reference_date__in=dates
                ).values_list("pk", "code", "reference_date")
            )
        if live and added:
            from lider.territory.signals import register_loaded

            transaction.on_commit(
                lambda: register_loaded.send(
                    unit_model, added=added, reference_dates=sorted(dates)
                ),
                robust=True,
            )
    return added


def _is_voivodeship(row: dict) -> bool:
    return not row["POW"]


def _is_county(row: dict) -> bool:
    return bool(row["POW"]) and not row["GMI"]


def _is_gmina(row: dict) -> bool:
    return bool(row["GMI"])


def _parent_key(row: dict) -> tuple[str, str] | None:
    if row["GMI"]:
        return row["WOJ"] + row["POW"], row["STAN_NA"]
    if row["POW"]:
        return row["WOJ"], row["STAN_NA"]
    return None
