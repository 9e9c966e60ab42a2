"""stored readiness facts of settlements and latest condition of heritage sites, filled

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "settlement_readiness",
        sa.Column("place_id", sa.String(length=36), nullable=False),
        sa.Column("buffer_m", sa.Float(), nullable=False),
        sa.Column("blocking_count", sa.Integer(), nullable=False),
        sa.Column("housing_score", sa.Float(), nullable=True),
        sa.Column("services_score", sa.Float(), nullable=True),
        sa.Column("heritage_score", sa.Float(), nullable=True),
        sa.Column("housing", _json(), nullable=True),
        sa.Column("services", _json(), nullable=True),
        sa.Column("heritage", _json(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_settlement_readiness_place_id_places")
        ),
        sa.PrimaryKeyConstraint("place_id", name=op.f("pk_settlement_readiness")),
    )
    op.create_table(
        "settlement_blocking_hazards",
        sa.Column("place_id", sa.String(length=36), nullable=False),
        sa.Column("hazard_area_id", sa.String(length=36), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hazard_area_id"],
            ["hazard_areas.id"],
            name=op.f("fk_settlement_blocking_hazards_hazard_area_id_hazard_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_settlement_blocking_hazards_place_id_places")
        ),
        sa.PrimaryKeyConstraint(
            "place_id", "hazard_area_id", name=op.f("pk_settlement_blocking_hazards")
        ),
    )
    op.create_index(
        op.f("ix_settlement_blocking_hazards_hazard_area_id"),
        "settlement_blocking_hazards",
        ["hazard_area_id"],
        unique=False,
    )
    op.create_table(
        "heritage_site_latest",
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("overall_condition", sa.String(length=16), nullable=True),
        sa.Column("observed_on", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["heritage_sites.id"],
            name=op.f("fk_heritage_site_latest_site_id_heritage_sites"),
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_heritage_site_latest")),
    )
    _fill()


def _fill() -> None:
    """Rows for the settlements and sites already stored, by the functions the writes use."""
    from sqlalchemy.orm import Session

    from wayhome.services import heritage_latest, readiness_store

    with Session(bind=op.get_bind()) as session:
        heritage_latest.rebuild_in(session)
        readiness_store.rebuild_in(session)
        session.flush()


def downgrade() -> None:
    op.drop_index(
        op.f("ix_settlement_blocking_hazards_hazard_area_id"),
        table_name="settlement_blocking_hazards",
    )
    op.drop_table("settlement_blocking_hazards")
    op.drop_table("settlement_readiness")
    op.drop_table("heritage_site_latest")
