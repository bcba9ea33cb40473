"""People and institutions, and their participation in projects (the monitoring record).

One module per part, all models of the `people` app: the choices, the people and institutions
(`subjects`), participation in a project, restriction of processing, and a participant's
proposed correction (`lider.people.rectification_models`).
"""

from lider.people.models.choices import Answer, Education, LabourDetail, LabourStatus, Sex
from lider.people.models.participation import (
    LATER_WEEKS,
    Participant,
    Situation,
    SituationSource,
)
from lider.people.models.restriction import Restriction
from lider.people.models.subjects import Address, Institution, InstitutionMember, Person
from lider.people.rectification_models import Correction

__all__ = [
    "LATER_WEEKS",
    "Address",
    "Answer",
    "Correction",
    "Education",
    "Institution",
    "InstitutionMember",
    "LabourDetail",
    "LabourStatus",
    "Participant",
    "Person",
    "Restriction",
    "Sex",
    "Situation",
    "SituationSource",
]
