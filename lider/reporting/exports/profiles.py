"""The monitoring export profiles by key. Each is data in a module of its own (columns with the
official labels, where each value comes from, dictionaries from Lider's codes to the system's
labels); the machinery they share is in ``columns``. Adding a profile means adding a module
and listing it here.
"""

from lider.reporting.exports.cst2021 import CST2021
from lider.reporting.exports.pefs2007 import PEFS2007
from lider.reporting.exports.sl2014 import SL2014

__all__ = ["CST2021", "PEFS2007", "SL2014", "PROFILES"]

PROFILES = {profile.key: profile for profile in (PEFS2007, SL2014, CST2021)}
