"""return readiness: settlement conditions and indicator configuration

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import wayhome.store.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "settlement_conditions",
        sa.Column("place_id", sa.String(length=36), nullable=False),
        sa.Column("observed_on", sa.String(length=10), nullable=False),
        sa.Column("observed_on_precision", sa.String(length=8), nullable=False),
        sa.Column("housing_damage_pct", sa.Float(), nullable=True),
        sa.Column("services", _json(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_instance", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("recorded_by_id", sa.String(length=36), nullable=True),
        sa.Column("recorded_at", wayhome.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", wayhome.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", wayhome.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", wayhome.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_settlement_conditions_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_settlement_conditions_place_id_places")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_settlement_conditions_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement_conditions")),
    )
    with op.batch_alter_table("settlement_conditions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_settlement_conditions_observed_on"), ["observed_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_settlement_conditions_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_settlement_conditions_place_id"), ["place_id"], unique=False
        )

    op.create_table(
        "readiness_config",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_instance", sa.String(length=40), nullable=False),
        sa.Column("settings", _json(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", wayhome.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_readiness_config_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_config")),
    )


def downgrade() -> None:
    op.drop_table("readiness_config")
    with op.batch_alter_table("settlement_conditions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settlement_conditions_place_id"))
        batch_op.drop_index(batch_op.f("ix_settlement_conditions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_settlement_conditions_observed_on"))

    op.drop_table("settlement_conditions")
