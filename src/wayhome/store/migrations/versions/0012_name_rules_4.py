"""search index: name keys of rules 4, refilled

``wayhome.names`` changed the keys of some names: a Ukrainian ``ій`` before a consonant also
gets the Russian spelling ``ей`` of the same surname (Олійник = Олейник = Oleinik). No table
changes: the index of the persons already stored is rebuilt (``wayhome.services.search_index.RULES``
4), by the function ``wayhome search reindex`` uses; its time grows with the registry like a bulk
import.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 04:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Rebuild the index of the persons already stored (nothing to do in a new installation)."""
    from wayhome.services import search_index

    search_index.rebuild_in_migration(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the older code reads the keys of rules 4 as it reads its own (a
    ``wayhome search reindex`` with the older code restores its keys exactly)."""
