"""duplicates review queue: candidates, decisions, merges

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import wayhome.store.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, wayhome.store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_persons_merged_into_id"), ["merged_into_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_persons_merged_into_id_persons"), "persons", ["merged_into_id"], ["id"]
        )

    op.create_table(
        "duplicate_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_instance", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=True),
        sa.Column("started_by_id", sa.String(length=36), nullable=True),
        sa.Column("started_by_name", sa.String(length=200), nullable=False),
        _when("started_at"),
        _when("finished_at", nullable=True),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("persons_compared", sa.Integer(), nullable=False),
        sa.Column("pairs_found", sa.Integer(), nullable=False),
        sa.Column("pairs_new", sa.Integer(), nullable=False),
        sa.Column("pairs_updated", sa.Integer(), nullable=False),
        sa.Column("pairs_already_decided", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_duplicate_runs_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["users.id"], name=op.f("fk_duplicate_runs_started_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_runs")),
    )
    with op.batch_alter_table("duplicate_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_runs_organisation_id"), ["organisation_id"])

    op.create_table(
        "duplicate_candidates",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_instance", sa.String(length=40), nullable=False),
        sa.Column("person_a_id", sa.String(length=36), nullable=False),
        sa.Column("person_b_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=True),
        sa.Column("match_weight", sa.Float(), nullable=True),
        sa.Column("explanation", JSON, nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=True),
        _when("found_at"),
        sa.Column("found_by_id", sa.String(length=36), nullable=True),
        _when("scored_at"),
        _when("skipped_at", nullable=True),
        _when("decided_at", nullable=True),
        sa.Column("decided_by_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "person_a_id < person_b_id", name=op.f("ck_duplicate_candidates_ordered_pair")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_duplicate_candidates_decided_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["found_by_id"], ["users.id"], name=op.f("fk_duplicate_candidates_found_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["person_a_id"],
            ["persons.id"],
            name=op.f("fk_duplicate_candidates_person_a_id_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["person_b_id"],
            ["persons.id"],
            name=op.f("fk_duplicate_candidates_person_b_id_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["duplicate_runs.id"],
            name=op.f("fk_duplicate_candidates_run_id_duplicate_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_candidates")),
        sa.UniqueConstraint(
            "person_a_id", "person_b_id", name=op.f("uq_duplicate_candidates_person_a_id")
        ),
    )
    with op.batch_alter_table("duplicate_candidates", schema=None) as batch_op:
        for column in ("person_a_id", "person_b_id", "run_id"):
            batch_op.create_index(batch_op.f(f"ix_duplicate_candidates_{column}"), [column])
        batch_op.create_index(
            "ix_duplicate_candidates_queue",
            [
                "status",
                "skipped_at",
                "match_probability",
                "decided_at",
                "person_a_id",
                "person_b_id",
                "id",
            ],
        )

    op.create_table(
        "duplicate_merges",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("kept_person_id", sa.String(length=36), nullable=False),
        sa.Column("merged_person_id", sa.String(length=36), nullable=False),
        sa.Column("carried_ids", JSON, nullable=False),
        _when("merged_at"),
        sa.Column("merged_by_id", sa.String(length=36), nullable=True),
        _when("undone_at", nullable=True),
        sa.Column("undone_by_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["duplicate_candidates.id"],
            name=op.f("fk_duplicate_merges_candidate_id_duplicate_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["kept_person_id"],
            ["persons.id"],
            name=op.f("fk_duplicate_merges_kept_person_id_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["merged_by_id"], ["users.id"], name=op.f("fk_duplicate_merges_merged_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["merged_person_id"],
            ["persons.id"],
            name=op.f("fk_duplicate_merges_merged_person_id_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["users.id"], name=op.f("fk_duplicate_merges_undone_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_merges")),
    )
    with op.batch_alter_table("duplicate_merges", schema=None) as batch_op:
        for column in ("candidate_id", "kept_person_id", "merged_person_id"):
            batch_op.create_index(batch_op.f(f"ix_duplicate_merges_{column}"), [column])

    op.create_table(
        "duplicate_decisions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        _when("at"),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=True),
        sa.Column("origin_instance", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("merge_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["duplicate_candidates.id"],
            name=op.f("fk_duplicate_decisions_candidate_id_duplicate_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["merge_id"],
            ["duplicate_merges.id"],
            name=op.f("fk_duplicate_decisions_merge_id_duplicate_merges"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_duplicate_decisions_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_duplicate_decisions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_decisions")),
    )
    with op.batch_alter_table("duplicate_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_decisions_candidate_id"), ["candidate_id"])


def downgrade() -> None:
    op.drop_table("duplicate_decisions")
    op.drop_table("duplicate_merges")
    op.drop_table("duplicate_candidates")
    op.drop_table("duplicate_runs")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_persons_merged_into_id_persons"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_persons_merged_into_id"))
        batch_op.drop_column("merged_into_id")
