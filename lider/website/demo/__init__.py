"""The demo: the seed project "Lider na Rynku Ekonomii Społecznej" rebuilt as data.

Each module fills one domain and is idempotent: running the demo twice changes nothing.
"""
