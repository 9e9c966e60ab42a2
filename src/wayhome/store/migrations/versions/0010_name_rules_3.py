"""search index: name keys of rules 3, refilled

``wayhome.names`` changed the keys of some names (an apostrophe alone no longer ends an Arabic
article: Эльчин, Ильхам, Альберт keep their first syllable; a Latin token with one sign of
Azerbaijani also gets the Azerbaijani readings: Elçin = Эльчин). No table changes: the index of
the persons already stored is rebuilt (``wayhome.services.search_index.RULES`` 3), by the
function ``wayhome search reindex`` uses; its time grows with the registry like a bulk import.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 20:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Rebuild the index of the persons already stored (nothing to do in a new installation)."""
    from wayhome.services import search_index

    search_index.rebuild_in_migration(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the older code reads the keys of rules 3 as it reads its own (a
    ``wayhome search reindex`` with the older code restores its keys exactly)."""
