"""Signals of the territorial register, for the layers above that keep copies of what it says."""

from django.dispatch import Signal

# Sent when a load of the TERC register that added units has committed. Sender: the Unit
# model; keyword arguments: added (how many units), reference_dates (of the loaded register).
register_loaded = Signal()
