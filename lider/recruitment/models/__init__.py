"""Recruitment: eligibility rules and scoring as data, applications, consents.

By subject: eligibility rules and scoring criteria (`rules`), the wording of consents and of
the information clause (`texts`), applications and the consents given with them
(`applications`), the pre-aggregated counts of the list's summary (`totals`).
"""

# Imported in the order the models were declared in one module, so the app's registry lists
# them as before (isort would put `applications`, and the `texts` it imports, first).
# isort: off
from lider.recruitment.models.rules import EligibilityRule, ScoringCriterion
from lider.recruitment.models.texts import ConsentText, InformationClause
from lider.recruitment.models.applications import (
    Application,
    ApplicationQuerySet,
    Consent,
)
from lider.recruitment.models.totals import ApplicationTotal

# isort: on

__all__ = [
    "Application",
    "ApplicationQuerySet",
    "ApplicationTotal",
    "Consent",
    "ConsentText",
    "EligibilityRule",
    "InformationClause",
    "ScoringCriterion",
]
