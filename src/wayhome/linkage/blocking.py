"""Blocking: which pairs of records are compared at all.

Several rules are unioned. Each rule pairs two keys of a record (e.g. a family-name key and the
birth year) over *all* of the record's names and over *every* cross-script key of each name, so
``Мамедов`` and ``Məmmədov`` (which share the key ``mamedov``) land in the same block. A block
key is one BIGINT packing the rule and its parts (key ids modulo 2^19: a collision only merges
two blocks). Blocks giving more than
``max_block_pairs`` pairs are not used as they are: each is split into *sub-blocks* by a
second key (birth decade, father's name, birth place: those the rule does not use already), and
the sub-blocks go through the same size limit and a budget of their own. Common names thus keep
the pairs that share something more instead of losing them all. Blocks a rule leaves out only
because its pair budget is spent are dropped (and counted) — other rules usually still pair
their records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .engines.base import Dialect, Engine

RULE_BITS = 6


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
    # False: used only when the records left alone are blocked against the clusters' profiles
    # (``rules_for(..., first_pass=False)``), where there are fewer records and smaller blocks
    first_pass: bool = True
    # False: not used there (pairs that the profiles' other rules nearly always give too)
    profile_pass: bool = True


FAM_P, GIV_P, FAT_P = Part("fam_p"), Part("giv_p"), Part("fat_p")
FAM_D, GIV_D = Part("fam_d"), Part("giv_d")
YEAR = Part("byear", is_list=False, bits=8, offset=1800)
DATE = Part("bdate", is_list=False)
DAY_MONTH = Part("bdaymonth", is_list=False, bits=9)
YEAR_INITIAL = Part("yfi")
PLACE = Part("plc_k")
DECADE = Part("bdecs")  # two overlapping decades per birth year: years <= 4 apart share one
# 16 bits each, to fit four parts in a key (a collision only merges two blocks)
FAM_D16, GIV_D16, PLACE16 = Part("fam_d", bits=16), Part("giv_d", bits=16), Part("plc_k", bits=16)

RULES: tuple[BlockingRule, ...] = (
    BlockingRule("family+given+birth_year", (FAM_P, GIV_P, YEAR)),
    BlockingRule("family+given+father", (FAM_P, GIV_P, FAT_P)),
    BlockingRule("given+father+birth_year", (GIV_P, FAT_P, YEAR)),
    BlockingRule("family+father+birth_year", (FAM_P, FAT_P, YEAR)),
    BlockingRule("given+birth_date", (GIV_P, DATE)),
    BlockingRule("family+birth_date", (FAM_P, DATE)),
    BlockingRule("family+given+birth_day_month", (FAM_P, GIV_P, DAY_MONTH)),
    BlockingRule("family_typo+given+birth_year", (FAM_D, GIV_P, YEAR), per_record=2.0),
    BlockingRule("given_typo+family+birth_year", (GIV_D, FAM_P, YEAR), per_record=2.0),
    BlockingRule("given+family_initial+birth_year", (GIV_P, YEAR_INITIAL), per_record=1.0),
    # the birth place as written is a strong identifier that survives a wrong or missing date
    BlockingRule("family+given+birth_place", (FAM_P, GIV_P, PLACE)),
    BlockingRule("family_typo+given+birth_place", (FAM_D, GIV_P, PLACE), per_record=2.0),
    BlockingRule("given_typo+family+birth_place", (GIV_D, FAM_P, PLACE), per_record=2.0),
    BlockingRule("given+birth_place+birth_year", (GIV_P, PLACE, YEAR)),
    # a typo in each name: halves of both (one half of each survives a single typo)
    BlockingRule("family_typo+given_typo+birth_year", (FAM_D, GIV_D, YEAR), per_record=1.0),
    # the same with the birth place: small blocks, kept where the rule above runs out of budget.
    # Some 16 keys per record (halves of both names): a third of all block keys of a million
    # records, for no measurable F1 once the records alone meet the clusters' profiles; so only
    # there (1M: F1 0.9291 with it in both passes, 0.9290 in the profiles' only; blocking ~2 s
    # faster)
    BlockingRule(
        "family_typo+given_typo+birth_year+birth_place",
        (FAM_D16, GIV_D16, YEAR, PLACE16),
        per_record=1.0,
        first_pass=False,
    ),
    BlockingRule("family_typo+given+father", (FAM_D, GIV_P, FAT_P), per_record=1.0),
    BlockingRule("family+birth_place+birth_year", (FAM_P, PLACE, YEAR)),
    BlockingRule("family+given (no birth year)", (FAM_P, GIV_P), unless="byear", per_record=1.0),
    BlockingRule("family+given", (FAM_P, GIV_P), per_record=1.0),
    # the last three pair the records alone with the profiles in big blocks for nothing
    # measurable (1M: F1 0.9291 with or without them there, the profiles' pass 2 s faster)
    BlockingRule("family+birth_year", (FAM_P, YEAR), per_record=1.0, profile_pass=False),
    BlockingRule("given+father", (GIV_P, FAT_P), per_record=1.0, profile_pass=False),
    BlockingRule("family+father", (FAM_P, FAT_P), per_record=1.0, profile_pass=False),
)
DEFAULT_MAX_BLOCK_PAIRS = 20_000


@dataclass(frozen=True)
class Refinement:
    """Sub-blocks of the blocks a rule cannot keep: the block key plus one value of ``part``
    (rules that already use one of ``skip_if`` columns are not split by it)."""

    name: str
    part: Part
    skip_if: tuple[str, ...]
    per_record: float = 1.0


REFINEMENTS: tuple[Refinement, ...] = (
    Refinement("birth decade", DECADE, ("byear", "bdate", "yfi", "bdecs")),
    Refinement("father", FAT_P, ("fat_p",)),
    Refinement("birth place", PLACE, ("plc_k",)),
)
REFINE_BASE = 48  # rule index of the first refinement's sub-blocks


def rules_for(
    extras: tuple[str, ...] | list[str] = (), *, first_pass: bool = True
) -> tuple[BlockingRule, ...]:
    """The fixed rules plus one per compared extra column (its exact value): identifiers and
    addresses give small blocks and are kept, common values give big ones and are dropped.
    ``first_pass``: the rules for blocking all records; False: those for the records left
    alone against the clusters' profiles."""
    extra = tuple(
        BlockingRule(column, (Part(f"x{i}_v", is_list=False, bits=40),), per_record=1.0)
        for i, column in enumerate(extras)
    )
    chosen = (r for r in RULES if (r.first_pass if first_pass else r.profile_pass))
    return tuple(chosen) + extra


MIN_BUDGET = 20_000


@dataclass
class BlockingReport:
    """What blocking did, per rule: block keys, pairs from kept blocks, dropped big blocks."""

    rules: list[dict[str, object]] = field(default_factory=list)
    pairs: int = 0

    def __str__(self) -> str:
        parts = [
            f"{r['rule']}: {r['pairs']} pairs in {r['blocks']} blocks"
            + (f", {r['dropped_blocks']} big blocks not kept" if r["dropped_blocks"] else "")
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


def refined_keys_sql(
    d: Dialect,
    keys: str,
    dropped: str,
    table: str,
    rules: tuple[BlockingRule, ...] = RULES,
) -> str | None:
    """Keys of the sub-blocks of the ``dropped`` blocks: SELECT rid, ds, rule, lone, bkey.

    A sub-block key mixes the block key and the value of a refinement's part; its rule index is
    ``REFINE_BASE`` + the refinement's position. None when no rule can be refined.
    """
    selects = []
    for j, ref in enumerate(REFINEMENTS):
        parents = [
            str(i)
            for i, rule in enumerate(rules)
            if not any(p.column in ref.skip_if for p in rule.parts)
        ]
        if not parents:
            continue
        part = ref.part
        value = f"f.{part.column}"
        source = f"(SELECT rid, {part.column} FROM {table} WHERE {part.column} IS NOT NULL)"
        if part.is_list:
            source = f"(SELECT rid, {d.explode(part.column)} AS {part.column} FROM {table})"
        size = 2**12
        base = f"((k.bkey % {2**40} + k.rule * 1000003) % {2**40})"
        mixed = f"({base} * {size} + ((CAST({value} AS BIGINT) % {size} + {size}) % {size}))"
        index = REFINE_BASE + j
        selects.append(
            f"SELECT k.rid, k.ds, {index} AS rule, k.lone, "
            f"({mixed} + CAST({index} AS BIGINT) * {2 ** (63 - RULE_BITS)}) AS bkey "
            f"FROM {keys} k JOIN {dropped} x ON x.bkey = k.bkey JOIN {source} f ON f.rid = k.rid "
            f"WHERE k.rule IN ({', '.join(parents)})"
        )
    return " UNION ALL ".join(selects) if selects else None


def dropped_blocks_sql(sizes: str, max_block_pairs: int) -> str:
    """Blocks too big to use whole (over ``max_block_pairs`` pairs): the ones to split. Blocks
    left out only by a rule's budget are not split: their rule has spent its share already."""
    return f"SELECT bkey FROM {sizes} WHERE pairs > {int(max_block_pairs)}"


def with_refinements(rules: tuple[BlockingRule, ...]) -> tuple[BlockingRule, ...]:
    """The rules padded to ``REFINE_BASE`` plus one pseudo-rule per refinement (its budget and
    name in the report)."""
    padding = tuple(
        BlockingRule(f"(unused {i})", (), per_record=0.0) for i in range(len(rules), REFINE_BASE)
    )
    refined = tuple(
        BlockingRule(f"sub-blocks by {r.name}", (r.part,), per_record=r.per_record)
        for r in REFINEMENTS
    )
    return rules + padding + refined


def block_keys_sql(d: Dialect, table: str, rules: tuple[BlockingRule, ...] = RULES) -> str:
    """All block keys of all records under all rules."""
    return " UNION ALL ".join(rule_keys_sql(d, rule, i, table) for i, rule in enumerate(rules))


def _pairs_expr(link: bool) -> str:
    """Pairs a block gives: those with at least one 'lone' record (all records normally)."""
    if link:
        return "(n0 * (n - n0) - (n0 - nl0) * ((n - n0) - (nl - nl0)))"
    return "(nl * (n - nl) + nl * (nl - 1) / 2)"


def block_sizes_sql(keys: str, link: bool) -> str:
    """Per block with at least one pair: its rule and the pairs it gives.

    Linking, only blocks with a record of the first dataset can give pairs: the others are
    left out before counting (half the time when one side is much smaller, as the records left
    alone are against the clusters' profiles)."""
    ones = "CASE WHEN {} THEN 1 ELSE 0 END"
    where = f" WHERE bkey IN (SELECT bkey FROM {keys} WHERE ds = 0)" if link else ""
    counts = (
        f"SELECT rule, bkey, count(*) AS n, sum({ones.format('ds = 0')}) AS n0, "
        f"sum({ones.format('lone')}) AS nl, sum({ones.format('lone AND ds = 0')}) AS nl0 "
        f"FROM {keys}{where} GROUP BY rule, bkey HAVING count(*) > 1"
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
    """Distinct candidate pairs (l < r, or l from dataset 0 and r from 1)."""
    condition = "a.ds = 0 AND b.ds = 1" if link else "a.rid < b.rid"
    return (
        f"SELECT DISTINCT a.rid AS l, b.rid AS r FROM {kept} a JOIN {kept} b "
        f"ON a.bkey = b.bkey AND {condition} AND (a.lone OR b.lone)"
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
    assert len(rules) <= REFINE_BASE, "too many blocking rules"
    every = with_refinements(rules)
    engine.create("block_keys", block_keys_sql(d, features, rules))
    engine.create("block_sizes", block_sizes_sql("block_keys", link))
    engine.create("kept_blocks", kept_blocks_sql("block_sizes", max_block_pairs, records, rules))
    engine.create("dropped_blocks", dropped_blocks_sql("block_sizes", max_block_pairs))
    refined = refined_keys_sql(d, "block_keys", "dropped_blocks", features, rules)
    sizes, kept = "block_sizes", "kept_blocks"
    keys = kept_keys_sql("block_keys", "kept_blocks")
    if refined is not None:
        engine.create("refined_keys", refined)
        engine.create("refined_sizes", block_sizes_sql("refined_keys", link))
        engine.create(
            "refined_kept", kept_blocks_sql("refined_sizes", max_block_pairs, records, every)
        )
        keys += " UNION ALL " + kept_keys_sql("refined_keys", "refined_kept")
        sizes = "(SELECT * FROM block_sizes UNION ALL SELECT * FROM refined_sizes)"
        kept = "(SELECT * FROM kept_blocks UNION ALL SELECT * FROM refined_kept)"
    engine.create("kept_keys", keys)
    engine.create(out, candidate_pairs_sql("kept_keys", link))
    report = BlockingReport()
    for row in engine.fetch(rule_report_sql(sizes, kept)).to_pylist():
        report.rules.append(
            {
                "rule": every[int(row["rule"])].name,
                "blocks": int(row["blocks"] or 0),
                "pairs": int(row["pairs"] or 0),
                "dropped_blocks": int(row["dropped_blocks"] or 0),
            }
        )
    report.pairs = int(engine.fetch(f"SELECT count(*) AS n FROM {out}").column(0)[0].as_py())
    return report
