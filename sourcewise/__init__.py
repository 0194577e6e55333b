"""Sourcewise: attributed, quote-first answers over documents about contested events.

This small package holds what every part of the product shares: the domain types
(:mod:`sourcewise.types`), the one :class:`~sourcewise.settings.Settings` object, the
registry of outlets and speakers (:mod:`sourcewise.registry`) and the command line.
"""

__version__ = "0.1.0"
