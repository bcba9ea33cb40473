import datetime

import pytest

from lider.territory.models import Unit
from lider.territory.queries import gminas_in, unit_by_code
from lider.territory.services import BUNDLED_TERC, load_terc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code, name, city",
    [
        ("2464", "Częstochowa", True),
        ("2404", "częstochowski", False),
        ("2409", "myszkowski", False),
        ("2407", "lubliniecki", False),
    ],
)
def test_seed_counties_resolve_by_teryt_code(code, name, city):
    county = unit_by_code(code)
    assert county.name == name
    assert county.level == Unit.Level.COUNTY
    assert county.is_city_county is city
    assert county.parent.code == "24"
    assert county.parent.name == "ŚLĄSKIE"
    assert county.reference_date == datetime.date(2021, 1, 1)


def test_register_is_loaded_whole():
    assert Unit.objects.filter(level=Unit.Level.VOIVODESHIP).count() == 16
    assert Unit.objects.filter(level=Unit.Level.COUNTY).count() == 380
    assert Unit.objects.count() == 4214


def test_unit_before_oldest_register_falls_back_to_oldest():
    assert unit_by_code("2404", on=datetime.date(2009, 12, 1)).code == "2404"


def test_loading_twice_adds_nothing():
    assert load_terc(BUNDLED_TERC) == 0


def test_gmina_types_decide_urban_or_rural():
    assert unit_by_code("2464011").is_rural is False
    assert unit_by_code("2404022").is_rural is True
    assert unit_by_code("2404013").is_rural is None
    assert unit_by_code("2404014").is_rural is False
    assert unit_by_code("2404015").is_rural is True


def test_gminas_in_offers_parts_of_urban_rural_gminas():
    names = [(g.code) for g in gminas_in([unit_by_code("2404")])]
    assert "2404014" in names and "2404015" in names
    assert "2404013" not in names
    assert len(names) == 18  # 14 rural gminas, Blachownia and Koniecpol as two parts each
