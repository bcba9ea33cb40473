"""`in` on integer columns ignores values no such column can hold.

Django already turns `pk=10**30` into an empty result instead of an OverflowError (SQLite) or a
DataError (PostgreSQL), but not `pk__in=[10**30]`, which every ModelMultipleChoiceField sends
with what the user posted. A value outside the column's range can never match, so dropping it
keeps the query's meaning and takes the crash away for every form at once.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not self.rhs:
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)
