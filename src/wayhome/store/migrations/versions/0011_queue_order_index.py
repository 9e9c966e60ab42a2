"""duplicates queue: indexes in the queue's order (pending and decided pairs)

The queue is read in order from the candidates' own index and checked against the persons a
batch at a time (``wayhome.services.duplicates_queue``). The queue index now ends in ``id`` right
after the probability, so that pending pairs come in order without a sort; decided pairs get
their own index (status, decided_at, id).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 00:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "duplicate_candidates"
OLD_QUEUE = [
    "status",
    "skipped_at",
    "match_probability",
    "decided_at",
    "person_a_id",
    "person_b_id",
    "id",
]
QUEUE = ["status", "skipped_at", "match_probability", "id", "person_a_id", "person_b_id"]


def upgrade() -> None:
    """Replace the queue index and add the index of decided pairs."""
    op.drop_index("ix_duplicate_candidates_queue", table_name=TABLE)
    op.create_index("ix_duplicate_candidates_queue", TABLE, QUEUE)
    op.create_index("ix_duplicate_candidates_decided", TABLE, ["status", "decided_at", "id"])


def downgrade() -> None:
    """Back to the single queue index of revision 0005."""
    op.drop_index("ix_duplicate_candidates_decided", table_name=TABLE)
    op.drop_index("ix_duplicate_candidates_queue", table_name=TABLE)
    op.create_index("ix_duplicate_candidates_queue", TABLE, OLD_QUEUE)
