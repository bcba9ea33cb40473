"""Signals Lider sends itself. House rule: signals serve cache invalidation only."""

from django.dispatch import Signal

# Sent after a write that bypasses Model.save (bulk_create, QuerySet.update), so that caches of
# what it changed can be dropped. Sender: the model; keyword argument: project_id.
rows_written = Signal()
