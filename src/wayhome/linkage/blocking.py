"""Blocking: which pairs of records are compared at all.

Several rules are unioned. Each rule pairs two keys of a record (e.g. a family-name key and the
birth year) over *all* of the record's names and over *every* cross-script key of each name, so
``Мамедов`` and ``Məmmədov`` (which share the key ``mamedov``) land in the same block. A block
key is one BIGINT packing the rule and its parts (key ids modulo 2^19: a collision only merges
two blocks). Blocks giving more than
``max_block_pairs`` pairs are dropped (and counted) — other rules usually still pair their
records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .engines.base import Dialect, Engine

RULE_BITS = 5


@dataclass(frozen=True)
class Part:
    """One part of a block key: a feature column (a list of key ids, or a number)."""

    column: str
    is_list: bool = True
    bits: int = 19
    offset: int = 0


@dataclass(frozen=True)
class BlockingRule:
    """Records are candidates when they share one value of every part.

    With ``unless``, the rule only pairs records of which at least one lacks that column
    (e.g. family + given name, for records without a birth year).
    """

    name: str
    parts: tuple[Part, ...]
    unless: str | None = None
    per_record: float = 3.0  # pair budget of the rule: per_record x records (smallest blocks first)


FAM_P, GIV_P, FAT_P = Part("fam_p"), Part("giv_p"), Part("fat_p")
FAM_D, GIV_D = Part("fam_d"), Part("giv_d")
YEAR = Part("byear", is_list=False, bits=8, offset=1800)
DATE = Part("bdate", is_list=False)
DAY_MONTH = Part("bdaymonth", is_list=False, bits=9)
YEAR_INITIAL = Part("yfi")

RULES: tuple[BlockingRule, ...] = (
    BlockingRule("family+given+birth_year", (FAM_P, GIV_P, YEAR)),
    BlockingRule("family+given+father", (FAM_P, GIV_P, FAT_P)),
    BlockingRule("given+father+birth_year", (GIV_P, FAT_P, YEAR)),
    BlockingRule("family+father+birth_year", (FAM_P, FAT_P, YEAR)),
    BlockingRule("given+birth_date", (GIV_P, DATE)),
    BlockingRule("family+birth_date", (FAM_P, DATE)),
    BlockingRule("family+given+birth_day_month", (FAM_P, GIV_P, DAY_MONTH)),
    BlockingRule("family_typo+given+birth_year", (FAM_D, GIV_P, YEAR), per_record=10.0),
    BlockingRule("given_typo+family+birth_year", (GIV_D, FAM_P, YEAR), per_record=10.0),
    BlockingRule("given+family_initial+birth_year", (GIV_P, YEAR_INITIAL), per_record=1.0),
    BlockingRule("family+given (no birth year)", (FAM_P, GIV_P), unless="byear", per_record=1.0),
    BlockingRule("family+given", (FAM_P, GIV_P), per_record=1.0),
    BlockingRule("family+birth_year", (FAM_P, YEAR), per_record=1.0),
    BlockingRule("given+father", (GIV_P, FAT_P), per_record=1.0),
    BlockingRule("family+father", (FAM_P, FAT_P), per_record=1.0),
)
DEFAULT_MAX_BLOCK_PAIRS = 20_000


def rules_for(extras: tuple[str, ...] | list[str] = ()) -> tuple[BlockingRule, ...]:
    """The fixed rules plus one per compared extra column (its exact value): identifiers and
    addresses give small blocks and are kept, common values give big ones and are dropped."""
    extra = tuple(
        BlockingRule(column, (Part(f"x{i}_v", is_list=False, bits=40),), per_record=1.0)
        for i, column in enumerate(extras)
    )
    return RULES + extra


MIN_BUDGET = 20_000


@dataclass
class BlockingReport:
    """What blocking did, per rule: block keys, pairs from kept blocks, dropped big blocks."""

    rules: list[dict[str, object]] = field(default_factory=list)
    pairs: int = 0

    def __str__(self) -> str:
        parts = [
            f"{r['rule']}: {r['pairs']} pairs in {r['blocks']} blocks"
            + (f", {r['dropped_blocks']} big blocks dropped" if r["dropped_blocks"] else "")
            for r in self.rules
        ]
        return f"{self.pairs} distinct candidate pairs ({'; '.join(parts)})"


def rule_keys_sql(d: Dialect, rule: BlockingRule, index: int, table: str) -> str:
    """SELECT rid, ds, rule, lone, bkey: one row per block key of each record under a rule."""
    assert sum(p.bits for p in rule.parts) <= 63 - RULE_BITS and index < 2**RULE_BITS, rule.name
    values = ", ".join(f"{p.column} AS v{i}" for i, p in enumerate(rule.parts))
    lone = f"{rule.unless} IS NULL" if rule.unless else "TRUE"
    present = [f"{p.column} IS NOT NULL" for p in rule.parts if not p.is_list]
    where = f" WHERE {' AND '.join(present)}" if present else ""
    query = f"SELECT rid, ds, {lone} AS lone, {values} FROM {table}{where}"
    for i, part in enumerate(rule.parts):
        if part.is_list:
            cols = ", ".join(
                d.explode(f"v{j}") + f" AS v{j}" if j == i else f"v{j}"
                for j in range(len(rule.parts))
            )
            query = f"SELECT rid, ds, lone, {cols} FROM ({query}) k{i}"
    key = "CAST(0 AS BIGINT)"
    for i, part in enumerate(rule.parts):
        size = 2**part.bits
        value = f"((CAST(v{i} AS BIGINT) - {part.offset}) % {size} + {size}) % {size}"
        key = f"({key} * {size} + {value})"
    key = f"({key} + CAST({index} AS BIGINT) * {2 ** (63 - RULE_BITS)})"
    return f"SELECT rid, ds, {index} AS rule, lone, {key} AS bkey FROM ({query}) kk"


def block_keys_sql(d: Dialect, table: str, rules: tuple[BlockingRule, ...] = RULES) -> str:
    """All block keys of all records under all rules."""
    return " UNION ALL ".join(rule_keys_sql(d, rule, i, table) for i, rule in enumerate(rules))


def _pairs_expr(link: bool) -> str:
    """Pairs a block gives: those with at least one 'lone' record (all records normally)."""
    if link:
        return "(n0 * (n - n0) - (n0 - nl0) * ((n - n0) - (nl - nl0)))"
    return "(nl * (n - nl) + nl * (nl - 1) / 2)"


def block_sizes_sql(keys: str, link: bool) -> str:
    """Per block with at least one pair: its rule and the pairs it gives."""
    ones = "CASE WHEN {} THEN 1 ELSE 0 END"
    counts = (
        f"SELECT rule, bkey, count(*) AS n, sum({ones.format('ds = 0')}) AS n0, "
        f"sum({ones.format('lone')}) AS nl, sum({ones.format('lone AND ds = 0')}) AS nl0 "
        f"FROM {keys} GROUP BY rule, bkey HAVING count(*) > 1"
    )
    return f"SELECT rule, bkey, {_pairs_expr(link)} AS pairs FROM ({counts}) c"


def _budget_expr(rules: tuple[BlockingRule, ...], records: int) -> str:
    cases = " ".join(
        f"WHEN {i} THEN {max(int(rule.per_record * records), MIN_BUDGET)}"
        for i, rule in enumerate(rules)
    )
    return f"(CASE rule {cases} END)"


def kept_blocks_sql(
    sizes: str, max_block_pairs: int, records: int, rules: tuple[BlockingRule, ...] = RULES
) -> str:
    """Blocks kept: per rule, smallest first while the rule's pair budget lasts.

    A block over ``max_block_pairs`` is never kept. Rarer combinations say more, so they go
    first; the budget (``per_record`` x records) keeps the work linear in the input size.
    """
    running = (
        "sum(pairs) OVER (PARTITION BY rule ORDER BY pairs, bkey "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    )
    return (
        f"SELECT rule, bkey, pairs FROM (SELECT rule, bkey, pairs, {running} AS running "
        f"FROM {sizes} WHERE pairs BETWEEN 1 AND {int(max_block_pairs)}) b "
        f"WHERE running <= {_budget_expr(rules, records)}"
    )


def kept_keys_sql(keys: str, kept: str) -> str:
    """Block keys of the kept blocks."""
    return (
        f"SELECT k.rid, k.ds, k.rule, k.lone, k.bkey FROM {keys} k JOIN {kept} s ON k.bkey = s.bkey"
    )


def candidate_pairs_sql(kept: str, link: bool) -> str:
    """Distinct candidate pairs (l < r, or l from dataset 0 and r from 1) and the first rule."""
    condition = "a.ds = 0 AND b.ds = 1" if link else "a.rid < b.rid"
    return (
        f"SELECT a.rid AS l, b.rid AS r, min(a.rule) AS rule FROM {kept} a JOIN {kept} b "
        f"ON a.bkey = b.bkey AND {condition} AND (a.lone OR b.lone) GROUP BY a.rid, b.rid"
    )


def rule_report_sql(sizes: str, kept: str) -> str:
    """Per rule: kept blocks, their pairs (before removing duplicates), dropped blocks."""
    return (
        "SELECT s.rule, sum(CASE WHEN k.bkey IS NULL THEN 0 ELSE 1 END) AS blocks, "
        "sum(CASE WHEN k.bkey IS NULL THEN 0 ELSE s.pairs END) AS pairs, "
        "sum(CASE WHEN k.bkey IS NULL AND s.pairs > 0 THEN 1 ELSE 0 END) AS dropped_blocks "
        f"FROM {sizes} s LEFT JOIN {kept} k ON k.bkey = s.bkey GROUP BY s.rule ORDER BY s.rule"
    )


def block(
    engine: Engine,
    features: str,
    *,
    records: int,
    link: bool = False,
    max_block_pairs: int = DEFAULT_MAX_BLOCK_PAIRS,
    rules: tuple[BlockingRule, ...] = RULES,
    out: str = "pairs",
) -> BlockingReport:
    """Create table ``out`` (l, r, rule) of candidate pairs from table ``features``."""
    d = engine.dialect
    engine.create("block_keys", block_keys_sql(d, features, rules))
    engine.create("block_sizes", block_sizes_sql("block_keys", link))
    engine.create("kept_blocks", kept_blocks_sql("block_sizes", max_block_pairs, records, rules))
    engine.create("kept_keys", kept_keys_sql("block_keys", "kept_blocks"))
    engine.create(out, candidate_pairs_sql("kept_keys", link))
    report = BlockingReport()
    for row in engine.fetch(rule_report_sql("block_sizes", "kept_blocks")).to_pylist():
        report.rules.append(
            {
                "rule": rules[int(row["rule"])].name,
                "blocks": int(row["blocks"] or 0),
                "pairs": int(row["pairs"] or 0),
                "dropped_blocks": int(row["dropped_blocks"] or 0),
            }
        )
    report.pairs = int(engine.fetch(f"SELECT count(*) AS n FROM {out}").column(0)[0].as_py())
    return report
