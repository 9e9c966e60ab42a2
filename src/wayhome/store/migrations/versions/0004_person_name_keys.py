"""search index of person name keys (search before register)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "name_key_counts",
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_name_key_counts")),
    )
    op.create_table(
        "person_name_keys",
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_person_name_keys_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("kind", "key", "person_id", name=op.f("pk_person_name_keys")),
    )
    with op.batch_alter_table("person_name_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_name_keys_person_id"), ["person_id"], unique=False
        )
    op.create_table(
        "person_match_features",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("rules", sa.Integer(), nullable=False),
        sa.Column(
            "features",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_person_match_features_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_match_features")),
    )


def downgrade() -> None:
    op.drop_table("person_match_features")
    with op.batch_alter_table("person_name_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_name_keys_person_id"))
    op.drop_table("person_name_keys")
    op.drop_table("name_key_counts")
