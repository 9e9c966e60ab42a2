"""heritage register: sites, their names, condition assessments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import wayhome.store.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _provenance() -> list[sa.Column]:
    """The columns of `store.tables.Record`, in the order autogenerate renders them."""
    return [
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
    ]


def upgrade() -> None:
    op.create_table(
        "heritage_sites",
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("community", sa.String(length=200), nullable=True),
        sa.Column("designation", sa.String(length=32), nullable=False),
        sa.Column("place_id", sa.String(length=36), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("polygon", sa.Text(), nullable=True),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        *_provenance(),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_heritage_sites_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_heritage_sites_place_id_places")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_heritage_sites_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heritage_sites")),
        sa.UniqueConstraint("reference", name=op.f("uq_heritage_sites_reference")),
    )
    with op.batch_alter_table("heritage_sites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_heritage_sites_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_heritage_sites_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_heritage_sites_type"), ["type"], unique=False)

    op.create_table(
        "heritage_assessments",
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("observed_on", sa.String(length=10), nullable=False),
        sa.Column("observed_on_precision", sa.String(length=8), nullable=False),
        sa.Column("assessed_on", sa.String(length=10), nullable=False),
        sa.Column("assessed_on_precision", sa.String(length=8), nullable=False),
        sa.Column("method", sa.String(length=24), nullable=False),
        sa.Column("overall_condition", sa.String(length=16), nullable=False),
        sa.Column("damage_extent", sa.String(length=8), nullable=False),
        sa.Column(
            "disturbances",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("recommendation", sa.String(length=32), nullable=True),
        sa.Column("priority", sa.String(length=16), nullable=True),
        sa.Column("assessor", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_provenance(),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_heritage_assessments_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_heritage_assessments_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["heritage_sites.id"],
            name=op.f("fk_heritage_assessments_site_id_heritage_sites"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heritage_assessments")),
    )
    with op.batch_alter_table("heritage_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_heritage_assessments_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_heritage_assessments_overall_condition"),
            ["overall_condition"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_heritage_assessments_site_id"), ["site_id"], unique=False
        )

    op.create_table(
        "heritage_site_names",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lang", sa.String(length=12), nullable=True),
        sa.Column("script", sa.String(length=4), nullable=False),
        sa.Column("folded", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["heritage_sites.id"],
            name=op.f("fk_heritage_site_names_site_id_heritage_sites"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heritage_site_names")),
    )
    with op.batch_alter_table("heritage_site_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_heritage_site_names_folded"), ["folded"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_heritage_site_names_site_id"), ["site_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("heritage_site_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_heritage_site_names_site_id"))
        batch_op.drop_index(batch_op.f("ix_heritage_site_names_folded"))

    op.drop_table("heritage_site_names")
    with op.batch_alter_table("heritage_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_heritage_assessments_site_id"))
        batch_op.drop_index(batch_op.f("ix_heritage_assessments_overall_condition"))
        batch_op.drop_index(batch_op.f("ix_heritage_assessments_organisation_id"))

    op.drop_table("heritage_assessments")
    with op.batch_alter_table("heritage_sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_heritage_sites_type"))
        batch_op.drop_index(batch_op.f("ix_heritage_sites_place_id"))
        batch_op.drop_index(batch_op.f("ix_heritage_sites_organisation_id"))

    op.drop_table("heritage_sites")
