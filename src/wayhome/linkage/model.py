"""Fellegi–Sunter model: comparison vectors, EM, term-frequency adjustment, scores, explanations.

A pair's *match weight* is, in bits (log2 odds)::

    prior + Σ_fields log2(m[level] / u[level]) + Σ_tf-fields clip(log2(u_random[0] / share(v)))

``m``/``u`` are estimated by EM on the distinct comparison patterns of the candidate pairs
(a handful of thousand rows, so EM is instant); ``u_random`` comes from random record pairs.
The term-frequency term rewards agreement on a rare name and penalises a common one: ``share(v)``
is the share of records carrying the most common key the two records share.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .comparisons import COMPARISONS, Comparison, comparisons_for, explain
from .engines.base import Dialect, num

log = logging.getLogger(__name__)

PROBABILITY_FLOOR = 1e-6
FAMILY = "family_name"
FATHER = "patronymic"
#: Levels at which family names count as "the same family" for the conditional u tables: the
#: same name, the same sound, the same stem (``Aliyev``/``Aliyeva``) or one letter apart (a
#: typo in the family name must not make agreement on the other fields count for more).
FAMILY_AGREES = (0, 1, 2, 3)
#: Family-name levels for "same parents" (sibling-like pairs): same name or same sound.
PARENTS_FAMILY_AGREES = (0, 1)
MIN_SAME_PARENTS_PAIRS = 300  # fewer clear non-matches with the same parents: not used
SAME_FAMILY_PRIOR = 500.0  # pseudo-pairs of the plain u blended into u_same_family
MIN_SAME_FAMILY_PAIRS = 2000  # fewer distinct same-family pairs: too little data, not used
FIX_U = False


@dataclass
class LinkageModel:
    """Trained parameters; ``to_json``/``from_json`` round-trip them."""

    fields: list[str]
    levels: dict[str, list[str]]
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    u_random: dict[str, list[float]]
    prior: float
    tf_cap_bits: float = 6.0
    #: u of the other fields among non-matching pairs whose family names agree (siblings,
    #: cousins: they share father's name and birth place far more often than random pairs).
    u_same_family: dict[str, list[float]] = field(default_factory=dict)
    #: u of the other fields among non-matching pairs whose family *and* father's names agree
    #: (siblings, twins): they share birth place, often the birth year, twins the birth date,
    #: so that agreement says little once the parents agree; the given name says the most.
    u_same_parents: dict[str, list[float]] = field(default_factory=dict)
    #: extra input columns compared (in this order), see ``comparisons.extra_comparison``
    extras: list[str] = field(default_factory=list)
    em_iterations: int = 0
    converged: bool = False
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def comparisons(self) -> tuple[Comparison, ...]:
        """The comparisons this model was trained on (fixed fields plus extra columns)."""
        return comparisons_for(self.extras)

    def bits(self, name: str, same_family: bool = False, same_parents: bool = False) -> list[float]:
        """Weight of each level of a field in bits: log2(m/u); with ``same_family``, the
        weight when the family names agree (u among same-family non-matches); with
        ``same_parents``, when the family and father's names agree (u among siblings)."""
        m = np.clip(np.asarray(self.m[name]), PROBABILITY_FLOOR, 1)
        table = self.u
        if same_parents and name in self.u_same_parents:
            table = self.u_same_parents
        elif same_family and name in self.u_same_family:
            table = self.u_same_family
        u = np.clip(np.asarray(table[name]), PROBABILITY_FLOOR, 1)
        return [float(x) for x in np.log2(m / u)]

    @property
    def prior_bits(self) -> float:
        p = min(max(self.prior, PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR)
        return math.log2(p / (1 - p))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> LinkageModel:
        return cls(**json.loads(text))

    def summary(self) -> str:
        """The weight of every level, one line per field (for humans)."""
        lines = [f"prior {self.prior_bits:+.1f} bits (match share {self.prior:.3g})"]
        for name in self.fields:
            levels = ", ".join(
                f"{lv} {b:+.1f}" for lv, b in zip(self.levels[name], self.bits(name), strict=True)
            )
            lines.append(f"{name}: {levels}")
        return "\n".join(lines)


def vectors_sql(
    d: Dialect,
    pairs: str,
    features: str,
    comparisons: tuple[Comparison, ...] = COMPARISONS,
    with_tf: bool = True,
) -> str:
    """SELECT l, r, g_<field> (level index, -1 = missing) and tf_<field> (term frequency:
    the larger of the two records' shares of their most common key)."""
    columns = [f"{c.level_sql(d)} AS g_{c.field}" for c in comparisons]
    if with_tf:
        columns += [
            f"greatest(l.tf_{c.tf_column}, r.tf_{c.tf_column}) AS tf_{c.field}"
            for c in comparisons
            if c.tf_column
        ]
    return (
        f"SELECT p.l, p.r, {', '.join(columns)} FROM {pairs} p "
        f"JOIN {features} l ON l.rid = p.l JOIN {features} r ON r.rid = p.r"
    )


def pattern_counts_sql(vectors: str, comparisons: tuple[Comparison, ...] = COMPARISONS) -> str:
    """Distinct comparison patterns and how many pairs have each."""
    gs = ", ".join(f"g_{c.field}" for c in comparisons)
    return f"SELECT {gs}, count(*) AS n FROM {vectors} GROUP BY {gs}"


def level_shares(patterns: np.ndarray, counts: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """Share of each level per field among pairs where the field is not missing (smoothed)."""
    out = []
    for k, size in enumerate(sizes):
        col = patterns[:, k]
        ok = col >= 0
        totals = np.bincount(col[ok], weights=counts[ok], minlength=size)
        out.append((totals + 0.5) / (totals.sum() + 0.5 * size))
    return out


def expectation_maximisation(
    patterns: np.ndarray,
    counts: np.ndarray,
    m: list[np.ndarray],
    u: list[np.ndarray],
    prior: float,
    *,
    fix_u: bool = False,
    max_iterations: int = 200,
    tolerance: float = 1e-6,
    m_prior: list[np.ndarray] | None = None,
    prior_strength: float = 0.0,
    monotone: bool = False,
) -> tuple[list[np.ndarray], list[np.ndarray], float, int, bool]:
    """EM for a two-class mixture with conditionally independent fields.

    ``patterns`` is (P, K) level indices (-1 = missing, ignored), ``counts`` pairs per pattern.
    ``m_prior``/``prior_strength``: a Dirichlet prior on m, i.e. ``prior_strength`` pseudo-matches
    distributed as ``m_prior`` are added in every m-step (MAP-EM), so that m follows the data
    where there are many matches and stays near the prior where there are few.
    ``monotone``: constrain every m-step so that the first level ("agrees") never weighs
    against a match (m >= u) and the last level ("differs") never for one (m <= u), judged
    against the ``u`` given (in training: the u of random pairs, which the scores use).
    Returns m, u, prior (match share), iterations and whether it converged within
    ``max_iterations`` (when not, the last estimates are returned).
    """
    if m_prior is not None and len(m_prior) != len(m):
        raise ValueError(f"m_prior has {len(m_prior)} fields, m has {len(m)}")
    m = [np.asarray(x, dtype=float).copy() for x in m]
    u = [np.asarray(x, dtype=float).copy() for x in u]
    bound = [x.copy() for x in u]  # the u the final weights use: monotone is judged against it
    counts = np.asarray(counts, dtype=float)
    present = patterns >= 0
    index = np.where(present, patterns, 0)
    for iteration in range(1, max_iterations + 1):
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for k in range(patterns.shape[1]):
            log_m += np.where(present[:, k], np.log(np.maximum(m[k][index[:, k]], 1e-300)), 0)
            log_u += np.where(present[:, k], np.log(np.maximum(u[k][index[:, k]], 1e-300)), 0)
        a = math.log(prior) + log_m
        b = math.log1p(-prior) + log_u
        posterior = 1 / (1 + np.exp(np.clip(b - a, -700, 700)))
        wm, wu = counts * posterior, counts * (1 - posterior)
        new_prior = float(min(max(wm.sum() / counts.sum(), 1e-9), 1 - 1e-9))
        change = abs(new_prior - prior)
        for k in range(patterns.shape[1]):
            ok = present[:, k]
            size = len(m[k])
            if not fix_u:
                new_u = np.bincount(index[ok, k], weights=wu[ok], minlength=size)
                new_u = (new_u + 1e-3) / (new_u.sum() + 1e-3 * size)
                change = max(change, float(np.abs(new_u - u[k]).max()))
                u[k] = new_u
            new_m = np.bincount(index[ok, k], weights=wm[ok], minlength=size) + 1e-3
            if m_prior is not None and prior_strength > 0:
                new_m = new_m + prior_strength * np.asarray(m_prior[k], dtype=float)
            new_m = new_m / new_m.sum()
            if monotone:
                new_m = monotone_m(new_m, bound[k])
            change = max(change, float(np.abs(new_m - m[k]).max()))
            m[k] = new_m
        prior = new_prior
        if change < tolerance:
            return m, u, prior, iteration, True
    return m, u, prior, max_iterations, False


def monotone_m(m: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Project m so that the first level has m >= u and the last level m <= u.

    Agreement on the first level ("share key", "equal") may never count against a match, and
    the last level ("differ") never for one, whatever a mixture fitted to related non-matches
    (siblings, namesakes) says. The mass moved is taken from, or given to, the middle levels
    in proportion to their m, so m still sums to 1.
    """
    m = np.asarray(m, dtype=float).copy()
    u = np.asarray(u, dtype=float)
    if len(m) < 2:
        return m
    last = len(m) - 1
    if m[last] > u[last]:
        excess = m[last] - u[last]
        m[last] = u[last]
        rest = m[:last]
        m[:last] = rest + excess * (rest / rest.sum() if rest.sum() > 0 else 1 / last)
    if m[0] < u[0]:
        need = u[0] - m[0]
        others = m[1:].sum()
        if others > 0:
            m[1:] *= max(others - need, 0.0) / others
        m[0] = u[0]
        m = m / m.sum()
    return m


def initial_m(size: int) -> np.ndarray:
    """A starting m: most matches agree at the first level, few at the last."""
    m = np.array([0.9 * 0.3**i for i in range(size)])
    m[-1] = 0.01
    return m / m.sum()


def field_bits_sql(model: LinkageModel, c: Comparison, d: Dialect, vectors: str = "v") -> str:
    """Bits a field adds: its level weight, plus the clipped TF adjustment on the first level.

    On a term-frequency field a weaker agreement (sound alike, one or two letters apart, …)
    never counts more than the exact agreement on the same name would, TF adjustment included:
    one letter apart from a common name is no rarer than the name, so ``Нврузов``/``Новрузов``
    never outweighs ``Novruzov``/``Новрузов`` (a pair's share is the commoner of its two keys).
    """
    g = f"{vectors}.g_{c.field}"

    def case(bits: list[float]) -> str:
        cases = " ".join(f"WHEN {i} THEN {num(b)}" for i, b in enumerate(bits))
        return f"(CASE {g} {cases} ELSE {num(0)} END)"

    def in_context(value: Callable[[list[float]], str]) -> str:
        """``value`` of the level table that applies to the pair (same parents, same family or
        the plain one)."""
        plain = value(model.bits(c.field))
        if c.field not in model.u_same_family or c.field == FAMILY:
            return plain
        family = ", ".join(str(i) for i in FAMILY_AGREES)
        parents = ""
        if c.field in model.u_same_parents and FATHER in model.fields:
            agree = ", ".join(str(i) for i in range(len(model.levels[FATHER]) - 1))
            sib_family = ", ".join(str(i) for i in PARENTS_FAMILY_AGREES)
            parents = (
                f"WHEN {vectors}.g_{FAMILY} IN ({sib_family}) AND {vectors}.g_{FATHER} IN "
                f"({agree}) THEN {value(model.bits(c.field, same_parents=True))} "
            )
        return (
            f"(CASE {parents}WHEN {vectors}.g_{FAMILY} IN ({family}) THEN "
            f"{value(model.bits(c.field, same_family=True))} ELSE {plain} END)"
        )

    expr = in_context(case)
    if not c.tf_column:
        return expr
    u0 = max(model.u_random[c.field][0], PROBABILITY_FLOOR)
    cap = model.tf_cap_bits
    tf = f"least(greatest(log2({num(u0)} / {vectors}.tf_{c.field}), {num(-cap)}), {num(cap)})"
    exact = in_context(lambda bits: num(bits[0]))
    last = len(model.levels[c.field]) - 1
    return (
        f"(CASE WHEN {vectors}.tf_{c.field} IS NULL THEN {expr} WHEN {g} = 0 THEN {expr} + {tf} "
        f"WHEN {g} > 0 AND {g} < {last} THEN least({expr}, {exact} + {tf}) ELSE {expr} END)"
    )


def scores_sql(
    model: LinkageModel,
    d: Dialect,
    vectors: str,
    comparisons: tuple[Comparison, ...] | None = None,
) -> str:
    """SELECT the vectors with bits_<field>, match_weight and match_probability."""
    comparisons = comparisons or model.comparisons
    bits = [f"{field_bits_sql(model, c, d)} AS bits_{c.field}" for c in comparisons]
    inner = f"SELECT v.*, {', '.join(bits)} FROM {vectors} v"
    total = " + ".join(f"bits_{c.field}" for c in comparisons)
    weight = f"({num(model.prior_bits)} + {total})"
    return (
        f"SELECT s.*, {weight} AS match_weight, "
        f"{num(1)} / ({num(1)} + pow({num(2)}, -{weight})) AS match_probability FROM ({inner}) s"
    )


def explanation_sql(
    model: LinkageModel, d: Dialect, comparisons: tuple[Comparison, ...] | None = None
) -> str:
    """SQL text expression: per field '<level explanation> (+x.x)', joined by '; '."""
    comparisons = comparisons or model.comparisons
    parts = []
    for c in comparisons:
        labels = " ".join(
            f"WHEN {i} THEN '{explain(f).replace(chr(39), chr(39) * 2)}'"
            for i, f in enumerate(c.levels)
        )
        missing = explain(c.missing).replace("'", "''")
        label = f"(CASE g_{c.field} WHEN -1 THEN '{missing}' {labels} END)"
        parts.append(f"concat({label}, ' (', {d.fmt_bits(f'bits_{c.field}')}, ')')")
    return f"concat_ws('; ', {', '.join(parts)})"


def given_ok_sql(model: LinkageModel, alias: str) -> str | None:
    """SQL: 1 unless the pair's given names differ (0). A record alone joins a cluster's
    profile against a different given name only with ``GIVEN_DIFFER_BITS`` more: in families
    that is a sibling or a twin, who shares the family name, the father's name, the place and
    often the year. None when the model has no such level."""
    (given,) = [c for c in model.comparisons if c.field == "given_name"] or [None]
    if given is None or "given_names_differ" not in given.level_names:
        return None
    level = given.level_names.index("given_names_differ")
    return f"(CASE WHEN {alias}.g_given_name = {level} THEN 0 ELSE 1 END)"


#: Fields that brothers, sisters and twins share (the birth date: twins).
SIBLING_FIELDS = (FAMILY, FATHER, "birth_place", "birth_date")


def links_sql(model: LinkageModel, alias: str, threshold: float) -> str:
    """SQL: 1 when a pair at ``threshold`` links its two records by itself, else 0.

    A pair whose given names differ links them only if it reaches the threshold without what
    the fields siblings share add to it (``SIBLING_FIELDS``, their agreement only): two
    records with different given names that agree on the family name, the father's name, the
    birth place and the date are as likely a brother, a sister or a twin as one person with a
    garbled name, and nothing in the pair tells them apart. A record that agrees on more
    (an identifier, an address: an extra column) still links. Records whose pair does not
    link can still meet through other records' pairs and by the attach rules
    (``clustering.attach``), which ask ``GIVEN_DIFFER_BITS`` more of such a pair."""
    tw = math.log2(threshold / (1 - threshold)) if 0 < threshold < 1 else -math.inf
    given_ok = given_ok_sql(model, alias)
    if given_ok is None or tw == -math.inf:
        return "1"
    shared = [
        f"greatest({alias}.bits_{c.field}, {num(0)})"
        for c in model.comparisons
        if c.field in SIBLING_FIELDS
    ]
    unshared = f"({alias}.match_weight - {' - '.join(shared)})" if shared else "0"
    return f"(CASE WHEN {given_ok} = 1 OR {unshared} >= {num(tw)} THEN 1 ELSE 0 END)"


def level_name_sql(c: Comparison) -> str:
    """SQL text expression: the name of the level function a pair reached for a field."""
    cases = " ".join(f"WHEN {i} THEN '{name}'" for i, name in enumerate(c.level_names))
    return f"(CASE g_{c.field} WHEN -1 THEN '{c.missing.__name__}' {cases} END)"


#: Training rules (Splink's approach): among candidate pairs that agree on the ``given`` fields
#: (level indices), EM estimates m of the *other* fields with u fixed to the random-pair u.
TRAINING_RULES: tuple[dict[str, tuple[int, ...]], ...] = (
    {"family_name": (0,), "birth_date": (0, 1, 2)},
    {"given_name": (0,), "patronymic": (0,)},
    {"family_name": (0,), "given_name": (0,)},
)


#: The prior for m (Dirichlet pseudo-counts in every m-step, and where EM starts): level shares
#: estimated on the synthetic multi-script set (benchmarks/synth.py), then smoothed. Counted on
#: the true matching candidate pairs of labelled sets they vary by up to 0.2 a level between
#: generators (benchmarks/synth.py vs tests/linkage/synth.py): a prior, not the truth.
DEFAULT_M: dict[str, tuple[float, ...]] = {
    "family_name": (0.90, 0.02, 0.005, 0.04, 0.015, 0.02),
    "given_name": (0.90, 0.02, 0.04, 0.015, 0.005, 0.02),
    "patronymic": (0.88, 0.02, 0.04, 0.03, 0.03),
    "birth_date": (0.20, 0.02, 0.13, 0.01, 0.02, 0.45, 0.005, 0.14, 0.015, 0.01),
    "sex": (0.99, 0.01),
    "birth_place": (0.70, 0.10, 0.05, 0.15),
}
#: Weight of the m prior, in pseudo-matches per record of the registry (at least
#: ``DEFAULT_WEIGHT``). A registry with many duplicates (more matching pairs than one per hundred
#: records) learns its own m; one with few or none cannot, and EM would fit its "match" class to
#: related non-matches (siblings, namesakes), whose number grows with the registry.
PRIOR_PER_RECORD = 0.01
#: Weight of the prior m when the rules' estimates are blended (pseudo-matches).
DEFAULT_WEIGHT = 30.0
MAX_ITERATIONS = 200  # per training rule; more means EM does not settle: reported, not hidden


def _default_m(c: Comparison) -> np.ndarray:
    values = DEFAULT_M.get(c.field)
    if values is None or len(values) != len(c.levels):
        return initial_m(len(c.levels))
    m = np.asarray(values, dtype=float)
    return m / m.sum()


def _rule_mask(
    patterns: np.ndarray, rule: dict[str, tuple[int, ...]], names: list[str]
) -> np.ndarray:
    mask = np.ones(len(patterns), dtype=bool)
    for name, levels in rule.items():
        mask &= np.isin(patterns[:, names.index(name)], levels)
    return mask


def fit(
    blocked: tuple[np.ndarray, np.ndarray],
    random: tuple[np.ndarray, np.ndarray],
    total_pairs: float,
    comparisons: tuple[Comparison, ...] = COMPARISONS,
    *,
    same_family: tuple[np.ndarray, np.ndarray] | None = None,
    tf_cap_bits: float = 6.0,
    extras: tuple[str, ...] = (),
) -> LinkageModel:
    """Train m by EM per training rule, u on random pairs, the prior from the matches found.

    ``blocked``/``random``: (patterns, counts) of the candidate pairs and of random pairs;
    ``total_pairs``: how many pairs the full comparison would have (n(n-1)/2, or n_a·n_b).
    """
    names = [c.field for c in comparisons]
    sizes = [len(c.levels) for c in comparisons]
    u = level_shares(random[0], random[1], sizes)
    present = [
        float(random[1][random[0][:, k] >= 0].sum() / max(random[1].sum(), 1))
        for k in range(len(names))
    ]
    defaults = [_default_m(c) for c in comparisons]
    records = (1 + math.sqrt(1 + 8 * total_pairs)) / 2  # n(n-1)/2 pairs (roughly, when linking)
    strength = max(DEFAULT_WEIGHT, PRIOR_PER_RECORD * records)
    estimates: list[list[tuple[float, np.ndarray]]] = [[(DEFAULT_WEIGHT, d)] for d in defaults]
    runs = []
    report: list[dict[str, Any]] = []
    iterations, converged = 0, True
    patterns, counts = blocked
    for rule in TRAINING_RULES:
        mask = _rule_mask(patterns, rule, names)
        if counts[mask].sum() < 10:
            continue
        sub = patterns[mask].copy()
        fixed = [names.index(n) for n in rule]
        sub[:, fixed] = -1
        m, _, prior, its, ok = expectation_maximisation(
            sub,
            counts[mask],
            defaults,
            u,
            0.3,
            fix_u=FIX_U,
            max_iterations=MAX_ITERATIONS,
            m_prior=defaults,
            prior_strength=strength,
            monotone=True,
        )
        iterations, converged = iterations + its, converged and ok
        if not ok:
            log.warning(
                "EM did not converge in %d iterations for training rule %s; "
                "using its last estimates (model.stats['em_runs'])",
                its,
                rule,
            )
        weight = prior * counts[mask].sum()
        for k in range(len(names)):
            if k not in fixed:
                estimates[k].append((weight, m[k]))
        runs.append((rule, weight))
        report.append(
            {
                "rule": {n: list(levels) for n, levels in rule.items()},
                "pairs": float(counts[mask].sum()),
                "matches": float(weight),
                "iterations": its,
                "converged": ok,
            }
        )
    m_final = [np.asarray(sum(w * x for w, x in e) / sum(w for w, _ in e)) for e in estimates]
    found = []
    for rule, matches in runs:
        share = 1.0
        for name, levels in rule.items():
            k = names.index(name)
            share *= present[k] * float(m_final[k][list(levels)].sum())
        if share > 0:
            found.append(matches / share)
    matches = float(np.median(found)) if found else 0.3 * records
    prior = min(max(matches / max(total_pairs, 1.0), 1e-12), 0.5)
    u_same: dict[str, list[float]] = {}
    u_parents: dict[str, list[float]] = {}
    if same_family is not None and FAMILY in names:
        u_same = _u_same_family(same_family, m_final, u, prior, names, sizes)
        if u_same and FATHER in names:
            u_parents = _u_same_parents(same_family, u_same, names, sizes)
    return LinkageModel(
        fields=names,
        levels={c.field: c.level_names for c in comparisons},
        m={n: [float(x) for x in m_final[k]] for k, n in enumerate(names)},
        u={n: [float(x) for x in u[k]] for k, n in enumerate(names)},
        u_random={n: [float(x) for x in u[k]] for k, n in enumerate(names)},
        prior=prior,
        tf_cap_bits=tf_cap_bits,
        u_same_family=u_same,
        u_same_parents=u_parents,
        extras=list(extras),
        em_iterations=iterations,
        converged=converged,
        stats={
            "candidate_pairs": int(counts.sum()),
            "random_pairs": int(random[1].sum()),
            "estimated_matches": matches,
            "prior_strength": strength,
            "em_runs": report,
        },
    )


def _u_same_family(
    sample: tuple[np.ndarray, np.ndarray],
    m: list[np.ndarray],
    u: list[np.ndarray],
    prior: float,
    names: list[str],
    sizes: list[int],
) -> dict[str, list[float]]:
    """u of each field among random pairs that share a family name, matches weighed out.

    ``sample``: (patterns, counts) of random pairs drawn within family-name groups; those whose
    family names agree at the first level are used, each weighted by its probability of being
    a non-match under the unconditional model (the duplicates of one person share a family
    name too).
    """
    patterns, counts = sample
    family = names.index(FAMILY)
    keep = patterns[:, family] == 0
    if counts[keep].sum() < MIN_SAME_FAMILY_PAIRS:
        return {}
    patterns, counts = patterns[keep], counts[keep]
    present = patterns >= 0
    index = np.where(present, patterns, 0)
    log_odds = np.full(len(patterns), math.log(prior / (1 - prior)))
    for k in range(len(names)):
        ratio = np.log(np.clip(m[k][index[:, k]], 1e-12, 1) / np.clip(u[k][index[:, k]], 1e-12, 1))
        log_odds += np.where(present[:, k], ratio, 0)
    non_match = counts / (1 + np.exp(np.clip(log_odds, -700, 700)))
    shares = level_shares(patterns, non_match, sizes)
    out = {}
    for k, name in enumerate(names):
        if k == family:
            continue
        weight = float(non_match[present[:, k]].sum())  # blended with the plain u: small
        blended = (weight * shares[k] + SAME_FAMILY_PRIOR * u[k]) / (weight + SAME_FAMILY_PRIOR)
        out[name] = [float(x) for x in blended]
    return out


def _u_same_parents(
    sample: tuple[np.ndarray, np.ndarray],
    u_family: dict[str, list[float]],
    names: list[str],
    sizes: list[int],
) -> dict[str, list[float]]:
    """u of each field among pairs whose family and father's names agree (siblings, twins).

    The model cannot weigh the duplicates of one person out here (twins agree on everything
    but the given name, so they look like matches), so each field's u is read from the pairs
    that clearly are two people: some *other* field is at its last level ("differ", e.g. the
    given names or the sexes differ). Blended with the same-family u like that one is.
    """
    patterns, counts = sample
    family, father = names.index(FAMILY), names.index(FATHER)
    keep = np.isin(patterns[:, family], PARENTS_FAMILY_AGREES)
    keep &= (patterns[:, father] >= 0) & (patterns[:, father] < sizes[father] - 1)
    patterns, counts = patterns[keep], counts[keep]
    differ = patterns == (np.asarray(sizes) - 1)[None, :]
    out = {}
    for k, name in enumerate(names):
        if k in (family, father) or name not in u_family:
            continue
        others = [j for j in range(len(names)) if j not in (family, father, k)]
        clear = differ[:, others].any(axis=1) & (patterns[:, k] >= 0)
        weight = float(counts[clear].sum())
        if weight < MIN_SAME_PARENTS_PAIRS:
            continue
        shares = level_shares(patterns[clear], counts[clear], sizes)[k]
        base = np.asarray(u_family[name])
        blended = (weight * shares + SAME_FAMILY_PRIOR * base) / (weight + SAME_FAMILY_PRIOR)
        out[name] = [float(x) for x in blended]
    return out
