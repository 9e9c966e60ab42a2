"""The duplicates review queue: candidate pairs, decisions and merges.

Imported at the end of `wayhome.store.tables`, so the tables belong to the same metadata (and
Alembic sees them) wherever `Base` is used.
"""

from __future__ import annotations
