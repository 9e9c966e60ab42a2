"""search index: typo postings (family half key + given, family + given half key), filled

The index of search before register gains two posting kinds (``dg``, ``fd``: see
``wayhome.services.search_index.POSTING_KINDS``) and the stored features the half keys they are
made of (rules 2). No table changes: the index of the persons already stored is rebuilt, by the
function ``wayhome search reindex`` uses; its time grows with the registry like a bulk import.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Rebuild the index of the persons already stored (nothing to do in a new installation)."""
    from wayhome.services import search_index

    search_index.rebuild_in_migration(op.get_bind())


def downgrade() -> None:
    """The typo postings and their counts go; the half keys left in the stored features are
    not read by the older code."""
    for name in ("person_name_keys", "name_key_counts"):
        table = sa.table(name, sa.column("kind"))
        op.execute(sa.delete(table).where(table.c.kind.in_(("dg", "fd"))))
