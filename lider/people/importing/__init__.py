"""Reading people from a spreadsheet an office keeps (XLSX or CSV, Polish column headers).

`read_table` turns the file into rows of strings through the bounded reader of
`lider.core.table_reader` (calamine gives floats for numbers: a PESEL typed as a number loses
its leading zeros, so it is padded back to 11 digits); `validate`
checks every cell and returns the values of new people (`PersonRow`, plain objects: a model
instance costs more to build than the whole check of its row) with every problem explained in
Polish by row and column. Lookups (gminas, PESELs already taken) are loaded once, and a value
repeated down a column (a gmina, an education level) is looked up once, so 10,000 rows take a
fraction of a second.

By subject: the checked rows and the reading of the table's columns (`rows`), the streamed
check of every row (`checker`).
"""

from lider.core.table_reader import TableError
from lider.people.import_gminas import Gminas, register_gminas
from lider.people.importing.checker import EMAIL, check_chunks, validate
from lider.people.importing.rows import (
    COMPARED,
    FIELDS,
    TEXT_LIMITS,
    Checked,
    PersonRow,
    Problem,
    read_table,
)

__all__ = [
    "COMPARED",
    "Checked",
    "EMAIL",
    "FIELDS",
    "Gminas",
    "PersonRow",
    "Problem",
    "TEXT_LIMITS",
    "TableError",
    "check_chunks",
    "read_table",
    "register_gminas",
    "validate",
]
