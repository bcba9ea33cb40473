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
    """
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
