"""The roll-up of many projects for an organisation, an OWES network or a funder."""
