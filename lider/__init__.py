"""Lider: run an EU-funded social-economy support project end to end."""

__version__ = "0.1.0"
