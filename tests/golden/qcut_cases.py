#!/usr/bin/env python3
"""Golden quantile and rank-quantile scores for many small columns, made with pandas.

Writes qcut_cases.csv next to this script: about 600 seeded cases, each a column of
values and a bin count, with the scores pandas gives them. It checks the library's
ScoringStrategies.Quantile and ScoringStrategies.RankQuantile independently of its
own code (tests/Rfm.Core.Tests/Golden/QcutGoldenTests.cs reads the file).

Run with a Python 3 that has pandas (tested with Debian python3-pandas 1.5.3,
numpy 1.24.2):

    python3 tests/golden/qcut_cases.py

Takes no arguments. The output is deterministic (fixed seed).

Scores:

- quantile: the edges are np.quantile(values, np.linspace(0, 1, bins + 1)), exactly
  what pd.qcut computes. A value scores k when it lies in (edge[k-1], edge[k]]; the
  minimum scores 1. That is edges.searchsorted(values, side="left") with the values
  equal to edge[0] set to 1, exactly pandas' _bins_to_cuts with include_lowest=True.
  With coinciding edges some scores stay unused and none are renumbered, which is
  what the library does (pd.qcut(..., duplicates="drop") would renumber them). Where
  the edges are all distinct the script asserts that this equals
  pd.qcut(s, bins, labels=False) + 1.
- rank_quantile: pd.qcut(s.rank(method="first"), bins, labels=False) + 1. Only for a
  single value (n = 1) are the rank edges all equal, where pandas raises "Bin edges
  must be unique"; there the same edges/searchsorted rule gives score 1.
"""

import random
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
OUT = HERE / "qcut_cases.csv"
SEED = 20240611


def money(cents):
    """Integer cents as an exact two-decimal string: -1234 -> "-12.34"."""
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    return f"{sign}{c // 100}.{c % 100:02d}"


def ints(values):
    return [str(v) for v in values]


def edges_of(x, bins):
    return np.quantile(x, np.linspace(0, 1, bins + 1))


def right_closed_scores(x, edges):
    """Score 1..bins by the right-closed bins of the full edge list (pandas _bins_to_cuts)."""
    ids = edges.searchsorted(x, side="left")
    ids[x == edges[0]] = 1
    return ids


class Stats:
    def __init__(self):
        self.cases = 0
        self.coinciding = 0
        self.edge_on_value = 0
        self.qcut_checked = 0
        self.rank_fallback = 0
        self.rank_edge_on_rank = 0
        self.shapes = {}


def score_case(texts, bins, stats):
    # Exactly float(text), as the C# test reads double.Parse(text, InvariantCulture).
    x = np.array([float(t) for t in texts], dtype=np.float64)
    s = pd.Series(x)
    n = len(x)

    edges = edges_of(x, bins)
    quantile = right_closed_scores(x, edges)
    coinciding = bool(np.any(edges[1:] == edges[:-1]))
    if coinciding:
        stats.coinciding += 1
    else:
        qcut = pd.qcut(s, bins, labels=False).to_numpy() + 1
        assert np.array_equal(qcut, quantile), (texts, bins, qcut, quantile)
        stats.qcut_checked += 1
    # An interior edge that is exactly one of the values (the value goes in the lower bin).
    if np.any(np.isin(edges[1:-1], x)):
        stats.edge_on_value += 1

    ranks = s.rank(method="first")
    assert np.array_equal(np.sort(ranks.to_numpy()), np.arange(1, n + 1, dtype=np.float64))
    rank_edges = edges_of(ranks.to_numpy(), bins)
    by_rule = right_closed_scores(ranks.to_numpy(), rank_edges)
    try:
        rank_quantile = pd.qcut(ranks, bins, labels=False).to_numpy() + 1
        assert np.array_equal(rank_quantile, by_rule), (texts, bins)
    except ValueError as error:
        # Only a single value has equal rank edges.
        assert n == 1 and "Bin edges must be unique" in str(error), (n, error)
        stats.rank_fallback += 1
        rank_quantile = by_rule
    if np.any(np.isin(rank_edges[1:-1], ranks.to_numpy())):
        stats.rank_edge_on_rank += 1

    for scores in (quantile, rank_quantile):
        assert len(scores) == n and scores.min() >= 1 and scores.max() <= bins, (texts, bins, scores)
    # Equal values always share a quantile score, larger values never score lower.
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(quantile[order]) >= 0)
    return [int(v) for v in quantile], [int(v) for v in rank_quantile]


def generate(rng):
    """Yields (shape, texts, bins)."""
    def n_small():
        return rng.randint(1, 60)

    def bins():
        return rng.randint(2, 10)

    # Tiny columns: every n from 1 to 5 with every bin count.
    for n in range(1, 6):
        for b in range(2, 11):
            yield "tiny", ints(rng.randint(0, 3) for _ in range(n)), b

    # Heavy ties: small integer ranges, so many equal values and often coinciding edges.
    for _ in range(110):
        width = rng.randint(1, 6)
        low = rng.randint(-2, 5)
        yield "ties", ints(rng.randint(low, low + width - 1) for _ in range(n_small())), bins()

    # Day counts (recency-like): skewed integers from 0 to about a year, some ties.
    for _ in range(100):
        scale = rng.choice([5, 30, 90, 200])
        yield "days", ints(min(int(rng.expovariate(1 / scale)), 400) for _ in range(n_small())), bins()

    # Money: two-decimal amounts, skewed, as exact decimal strings.
    for _ in range(110):
        mu = rng.choice([2.0, 4.0, 6.0, 9.0])
        texts = [money(max(1, round(rng.lognormvariate(mu, 1.2) * 100))) for _ in range(n_small())]
        yield "money", texts, bins()

    # Money with few distinct prices: ties among decimals that are not exact in binary.
    for _ in range(40):
        prices = [rng.choice([99, 199, 250, 999, 1999, 4995, 10]) * rng.randint(1, 3) for _ in range(rng.randint(1, 4))]
        yield "prices", [money(rng.choice(prices)) for _ in range(n_small())], bins()

    # Negative values: refunds among purchases, and negative integers.
    for _ in range(40):
        texts = [money(rng.randint(-50000, 80000)) for _ in range(n_small())]
        yield "negative", texts, bins()
    for _ in range(20):
        yield "negative", ints(rng.randint(-40, 10) for _ in range(n_small())), bins()

    # All-equal columns.
    for _ in range(30):
        value = rng.choice(["0", "1", "7", "-3", "0.10", "19.99", "-4.25", "1000000.01", "365"])
        yield "equal", [value] * n_small(), bins()

    # An edge exactly on a data value: arithmetic sequences with (n - 1) * i / bins an
    # integer for some or all i, shuffled so the input order is not sorted.
    for _ in range(100):
        b = bins()
        divisor = rng.choice([d for d in range(1, b + 1) if b % d == 0])
        k = rng.randint(1, max(1, 59 // divisor))
        n = divisor * k + 1
        kind = rng.choice(["int", "money", "step"])
        if kind == "int":
            start, step = rng.randint(-20, 50), rng.randint(1, 7)
            texts = ints(start + step * j for j in range(n))
        elif kind == "money":
            start, step = rng.randint(-2000, 5000), rng.choice([1, 5, 10, 25, 99, 250])
            texts = [money(start + step * j) for j in range(n)]
        else:
            # Sorted values at integer positions only; the rest is random.
            base = sorted(rng.randint(0, 300) for _ in range(n))
            texts = ints(base)
        rng.shuffle(texts)
        yield "edge-on-value", texts, b

    # Larger columns.
    for _ in range(12):
        n = rng.randint(200, 1000)
        kind = rng.choice(["days", "money", "ties"])
        if kind == "days":
            texts = ints(min(int(rng.expovariate(1 / 60)), 400) for _ in range(n))
        elif kind == "money":
            texts = [money(max(1, round(rng.lognormvariate(5.0, 1.3) * 100))) for _ in range(n)]
        else:
            texts = ints(rng.randint(1, 8) for _ in range(n))
        yield "large", texts, bins()
    # Large arithmetic sequences with edges on values.
    for b in (4, 5, 10):
        n = 100 * b + 1
        texts = [money(j * 10) for j in range(n)]
        rng.shuffle(texts)
        yield "large", texts, b


def main():
    rng = random.Random(SEED)
    stats = Stats()
    lines = ["case,bins,values,quantile,rank_quantile"]
    for index, (shape, texts, b) in enumerate(generate(rng), start=1):
        assert all("," not in t and " " not in t for t in texts)
        # The text must be read back unchanged: float(text) is what pandas gets.
        quantile, rank_quantile = score_case(texts, b, stats)
        case = f"{index:03d}-{shape}"
        lines.append(
            f"{case},{b},{' '.join(texts)},"
            f"{' '.join(map(str, quantile))},{' '.join(map(str, rank_quantile))}"
        )
        stats.cases += 1
        stats.shapes[shape] = stats.shapes.get(shape, 0) + 1

    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")

    print(f"pandas {pd.__version__}, numpy {np.__version__}, seed {SEED}")
    print(f"cases:                                   {stats.cases}")
    print("by shape:                                " + ", ".join(f"{k} {v}" for k, v in stats.shapes.items()))
    print(f"with coinciding quantile edges:          {stats.coinciding}")
    print(f"checked against pd.qcut (distinct edges): {stats.qcut_checked}")
    print(f"with an interior edge exactly on a value: {stats.edge_on_value}")
    print(f"with an interior rank edge on a rank:    {stats.rank_edge_on_rank}")
    print(f"rank cases where pandas raises (n = 1):  {stats.rank_fallback}")
    print(f"wrote {OUT.name}")


if __name__ == "__main__":
    main()
