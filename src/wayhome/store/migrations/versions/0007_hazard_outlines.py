"""hazard area outlines simplified per zoom band for the map, filled for existing hazard areas

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500
"""Hazard areas simplified and inserted per round (each gives one row per band)."""


def upgrade() -> None:
    op.create_table(
        "hazard_area_outlines",
        sa.Column("hazard_area_id", sa.String(length=36), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hazard_area_id"],
            ["hazard_areas.id"],
            name=op.f("fk_hazard_area_outlines_hazard_area_id_hazard_areas"),
        ),
        sa.PrimaryKeyConstraint("hazard_area_id", "band", name=op.f("pk_hazard_area_outlines")),
    )
    _backfill()


def _backfill() -> None:
    """Outlines of the hazard areas already stored, by the function the write path uses."""
    from wayhome.services.map_outlines import outline_rows

    bind = op.get_bind()
    hazards = sa.table("hazard_areas", sa.column("id", sa.String), sa.column("geometry", sa.Text))
    outlines = sa.table(
        "hazard_area_outlines",
        sa.column("hazard_area_id", sa.String),
        sa.column("band", sa.Integer),
        sa.column("geometry", sa.Text),
    )
    last = ""
    while True:
        rows = bind.execute(
            sa.select(hazards.c.id, hazards.c.geometry)
            .where(hazards.c.id > last)
            .order_by(hazards.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        bind.execute(sa.insert(outlines), outline_rows([(r.id, r.geometry) for r in rows]))
        last = rows[-1].id


def downgrade() -> None:
    op.drop_table("hazard_area_outlines")
