"""Long lists read one page at a time in two steps, so that a page costs the same at any size.

A list of a hundred thousand rows sorted by name cannot be sorted whole for each page: the
database would join and sort every row to show fifty. :class:`TwoStep` hands Django's
``Paginator`` a list whose page is read

1. as ids, in order, by a narrow query the database answers by walking an index on the sort
   columns and stopping after the page (``ids(start, stop)``);
2. as rows, with every join and annotation the page shows, for those ids only
   (``load(ids)``), put back in the order of the ids.

The count is passed in (a number, or a function called once), as each list knows a cheap way
to count itself (an index-only count), which is rarely the count of its widest query.

    listing = TwoStep(ids=ordered_ids, load=lambda ids: rows.filter(pk__in=ids), count=count)
    page = Paginator(listing, 50).get_page(request.GET.get("page"))
"""

from collections.abc import Callable, Iterable, Sequence


class TwoStep:
    def __init__(
        self,
        *,
        ids: Callable[[int, int], Sequence],
        load: Callable[[Sequence], Iterable],
        count: int | Callable[[], int],
    ):
        self._ids, self._load, self._count = ids, load, count

    def count(self) -> int:
        if callable(self._count):
            self._count = self._count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        if stop <= start:
            return []
        ids = list(self._ids(start, stop))
        if not ids:
            return []
        by_id = {row.pk: row for row in self._load(ids)}
        return [by_id[pk] for pk in ids if pk in by_id]
