#!/usr/bin/env python3
"""Golden CRM KPIs, monthly cohorts and a simple CLV for the UCI Online Retail sample, made with pandas.

Reads ../../data/online-retail/online_retail.csv.gz and writes these files next to
this script:

- online_retail_kpis_month.csv, online_retail_kpis_week.csv,
  online_retail_kpis_quarter.csv: per-period customer KPIs (one code path,
  parameterised by the period frequency)
- online_retail_cohorts_month.csv: monthly acquisition cohorts
- online_retail_clv.csv: per-customer simple CLV with a quartile segment

Run with a Python 3 that has pandas (tested with Debian python3-pandas 1.5.3,
numpy 1.24.2):

    python3 tests/golden/online_retail_crm.py

Takes no arguments. The output is deterministic.

Transaction policy: a row is used when CustomerID is not empty or whitespace,
InvoiceNo does not start with "C", Quantity > 0, UnitPrice > 0 and
Quantity * UnitPrice > 0. The amount of a row is Decimal(Quantity) *
Decimal(UnitPrice) from the CSV text, so every money total is exact.

An order is a distinct (CustomerID, InvoiceNo) pair among the used rows. Its time
is the earliest InvoiceDate of its used rows (naive wall-clock time) and its amount
is the exact sum of their amounts. Periods are calendar periods: weeks start on
Monday, quarters on Jan 1, Apr 1, Jul 1 and Oct 1. The period range runs from the
period of the first order to the period of the last order, empty periods included.
The analysis instant is 2011-12-10 00:00:00.
"""

import datetime as dt
import decimal
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "data" / "online-retail" / "online_retail.csv.gz"

AS_OF = pd.Timestamp(dt.datetime(2011, 12, 10))
MARGIN = Decimal("0.10")

# pandas period frequencies: "W" is W-SUN, weeks ending on Sunday, so each week
# starts on Monday 00:00. "Q" is Q-DEC, calendar quarters.
KPI_FILES = [
    ("M", "online_retail_kpis_month.csv"),
    ("W", "online_retail_kpis_week.csv"),
    ("Q", "online_retail_kpis_quarter.csv"),
]
COHORT_FILE = "online_retail_cohorts_month.csv"
CLV_FILE = "online_retail_clv.csv"

KPI_COLUMNS = [
    "period_start", "period_end", "complete", "active_customers", "new_customers",
    "returning_customers", "customers_at_start", "retained_customers",
    "reactivated_customers", "churned_customers", "retention_rate", "churn_rate",
    "acquisition_rate", "repeat_purchase_rate", "orders", "revenue",
    "average_order_value", "purchase_frequency", "revenue_growth_rate",
    "customer_growth_rate",
]
COHORT_COLUMNS = [
    "cohort", "periods_since_acquisition", "period_start", "cohort_size",
    "active_customers", "retention_share", "orders", "revenue",
]
CLV_COLUMNS = [
    "customer_id", "frequency", "monetary", "average_order_value",
    "purchase_frequency", "clv", "clv_score", "clv_segment",
]
SEGMENT_OF_SCORE = {4: "A", 3: "B", 2: "C", 1: "D"}


def decimal_context():
    """28 significant digits, half-even: used for every division."""
    return decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)


def exact_sum(values):
    """Exact Decimal sum. The Inexact trap makes any rounding raise."""
    ctx = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.Inexact])
    total = Decimal(0)
    for v in values:
        total = ctx.add(total, v)
    return total


def money_text(d):
    text = str(d)
    assert "E" not in text and "e" not in text, text
    return text


def ratio(num, den):
    """num / den as a float for integer counts (correctly rounded)."""
    return num / den


def fmt(value):
    """Text of one output field: None -> empty, float -> repr, int -> str."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return money_text(value)
    return str(value)


def write_csv(path, columns, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(columns) + "\n")
        for row in rows:
            assert len(row) == len(columns)
            fields = [fmt(v) for v in row]
            assert all("," not in x and "\n" not in x for x in fields)
            f.write(",".join(fields) + "\n")


def day(ts):
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def read_frame():
    # Every column as text; only empty fields count as missing.
    df = pd.read_csv(DATA, dtype=str, keep_default_na=False, na_values=[""])
    df["InvoiceDate"] = pd.to_datetime(df["InvoiceDate"], format="%Y-%m-%d %H:%M:%S")
    return df


def used_rows(df):
    """Applies the transaction policy. Returns the used rows and step counts."""
    steps = [("rows read", len(df))]
    has_customer = df["CustomerID"].fillna("").str.strip() != ""
    df = df[has_customer]
    steps.append(("with customer id", len(df)))
    df = df[~df["InvoiceNo"].str.startswith("C")]
    steps.append(("InvoiceNo not starting with C", len(df)))

    quantity = df["Quantity"].map(Decimal)
    price = df["UnitPrice"].map(Decimal)
    # Same decision from floats (pandas' own parsing) and from the exact text.
    qf = pd.to_numeric(df["Quantity"])
    pf = pd.to_numeric(df["UnitPrice"])
    assert ((quantity > 0) == (qf > 0)).all() and ((price > 0) == (pf > 0)).all()

    keep = quantity > 0
    df, quantity, price = df[keep], quantity[keep], price[keep]
    steps.append(("Quantity > 0", len(df)))
    keep = price > 0
    df, quantity, price = df[keep], quantity[keep], price[keep]
    steps.append(("UnitPrice > 0", len(df)))
    amount = pd.Series([q * p for q, p in zip(quantity, price)], index=df.index, dtype=object)
    keep = amount > 0
    df, amount = df[keep].copy(), amount[keep]
    steps.append(("Quantity * UnitPrice > 0", len(df)))
    df["amount"] = amount
    return df, steps


def make_orders(rows):
    g = rows.groupby(["CustomerID", "InvoiceNo"], sort=True)
    orders = g.agg(
        time=("InvoiceDate", "min"),
        last_time=("InvoiceDate", "max"),
        lines=("amount", "size"),
    )
    orders["amount"] = g["amount"].agg(exact_sum)
    orders = orders.reset_index()
    return orders


def kpi_table(orders, freq):
    """Per-period KPIs as a list of rows (Python values, None = empty)."""
    o = orders[["CustomerID", "InvoiceNo", "time", "amount"]].copy()
    o["period"] = o["time"].dt.to_period(freq)
    periods = pd.period_range(o["period"].min(), o["period"].max(), freq=freq)

    # (customer, period) pairs with order counts.
    pairs = o.groupby(["period", "CustomerID"]).size().rename("n").reset_index()
    active = pairs.groupby("period").size()
    repeaters = pairs[pairs["n"] >= 2].groupby("period").size()
    first_period = o.groupby("CustomerID")["period"].min()
    new = first_period.value_counts()
    # Retained: the same customer active in p - 1 and p.
    prev_pairs = pairs[["period", "CustomerID"]].copy()
    prev_pairs["period"] = prev_pairs["period"] + 1
    retained = (
        pairs[["period", "CustomerID"]]
        .merge(prev_pairs, on=["period", "CustomerID"], how="inner")
        .groupby("period").size()
    )
    n_orders = o.groupby("period").size()
    revenue = o.groupby("period")["amount"].agg(exact_sum)

    def get(series, p):
        return int(series.get(p, 0))

    ctx = decimal_context()
    rows = []
    prev = None
    for p in periods:
        start = p.start_time
        end = (p + 1).start_time
        assert start.hour == 0 and start.minute == 0 and start.second == 0
        if freq == "W":
            assert start.dayofweek == 0, start
        A = get(active, p)
        N = get(new, p)
        n_ord = get(n_orders, p)
        V = revenue.get(p, Decimal(0))
        rep = get(repeaters, p)
        row = {
            "period_start": day(start),
            "period_end": day(end),
            "complete": 1 if end <= AS_OF else 0,
            "active_customers": A,
            "new_customers": N,
            "returning_customers": A - N,
        }
        assert A - N >= 0
        if prev is None:
            row.update(customers_at_start=None, retained_customers=None,
                       reactivated_customers=None, churned_customers=None,
                       retention_rate=None, churn_rate=None, acquisition_rate=None)
        else:
            S = prev["active_customers"]
            R = get(retained, p)
            assert 0 <= R <= min(S, A) and A - N - R >= 0
            row.update(
                customers_at_start=S,
                retained_customers=R,
                reactivated_customers=A - N - R,
                churned_customers=S - R,
                retention_rate=ratio(R, S) if S > 0 else None,
                churn_rate=ratio(S - R, S) if S > 0 else None,
                acquisition_rate=ratio(N, S) if S > 0 else None,
            )
            assert A == N + row["retained_customers"] + row["reactivated_customers"]
        row["repeat_purchase_rate"] = ratio(rep, A) if A > 0 else None
        row["orders"] = n_ord
        row["revenue"] = V
        # float of the 28-digit Decimal quotient.
        row["average_order_value"] = float(ctx.divide(V, Decimal(n_ord))) if n_ord > 0 else None
        row["purchase_frequency"] = ratio(n_ord, A) if A > 0 else None
        if prev is None or prev["revenue"] <= 0:
            row["revenue_growth_rate"] = None
        else:
            Vp = prev["revenue"]
            row["revenue_growth_rate"] = float(ctx.divide(ctx.subtract(V, Vp), Vp))
        if prev is None or prev["active_customers"] == 0:
            row["customer_growth_rate"] = None
        else:
            Ap = prev["active_customers"]
            row["customer_growth_rate"] = ratio(A - Ap, Ap)
        assert (A == 0) == (n_ord == 0) and (n_ord == 0) == (V == 0)
        rows.append(row)
        prev = row

    # Consistency.
    assert sum(r["new_customers"] for r in rows) == o["CustomerID"].nunique()
    assert sum(r["orders"] for r in rows) == len(o)
    assert exact_sum(r["revenue"] for r in rows) == exact_sum(o["amount"])
    assert len(rows) == len(periods) and len(set(r["period_start"] for r in rows)) == len(rows)
    for a, b in zip(rows, rows[1:]):
        assert a["period_end"] == b["period_start"]
    return [[r[c] for c in KPI_COLUMNS] for r in rows]


def cohort_table(orders):
    o = orders[["CustomerID", "time", "amount"]].copy()
    o["month"] = o["time"].dt.to_period("M")
    cohort_of = o.groupby("CustomerID")["month"].min().rename("cohort")
    o = o.join(cohort_of, on="CustomerID")
    last = o["month"].max()
    size = cohort_of.value_counts()
    active = o.groupby(["cohort", "month"])["CustomerID"].nunique()
    n_orders = o.groupby(["cohort", "month"]).size()
    revenue = o.groupby(["cohort", "month"])["amount"].agg(exact_sum)

    rows = []
    for c in sorted(size.index):
        n = int(size[c])
        assert n > 0
        k_max = (last - c).n
        for k in range(k_max + 1):
            m = c + k
            a = int(active.get((c, m), 0))
            if k == 0:
                assert a == n
            assert 0 <= a <= n
            rows.append([
                day(c.start_time), k, day(m.start_time), n, a, ratio(a, n),
                int(n_orders.get((c, m), 0)), revenue.get((c, m), Decimal(0)),
            ])
    assert sum(int(size[c]) for c in size.index) == o["CustomerID"].nunique()
    assert sum(r[6] for r in rows) == len(o)
    assert exact_sum(r[7] for r in rows) == exact_sum(o["amount"])
    return rows, len(size)


def right_closed_scores(x, edges):
    """pd.qcut's bins: (edge[k-1], edge[k]], the minimum in bin 1, no renumbering."""
    ids = edges.searchsorted(x, side="left")
    ids[x == edges[0]] = 1
    return ids


def clv_table(orders):
    per = orders.groupby("CustomerID").agg(frequency=("InvoiceNo", "nunique"))
    per["monetary"] = orders.groupby("CustomerID")["amount"].agg(exact_sum)
    per = per.loc[sorted(per.index)]
    N = len(per)
    repeat = int((per["frequency"] > 1).sum())
    repeat_rate = repeat / N
    churn_rate = 1 - repeat_rate
    assert N - repeat > 0

    ctx = decimal_context()
    margin_f = float(MARGIN)
    clv_dec, clv_flt, aov, pfreq = [], [], [], []
    for f, m in zip(per["frequency"], per["monetary"]):
        exact = ctx.divide(ctx.multiply(m, MARGIN), Decimal(N - repeat))
        a = float(ctx.divide(m, Decimal(int(f))))
        pf = int(f) / N
        flt = a * pf / churn_rate * margin_f
        assert abs(flt - float(exact)) <= 1e-9 * abs(float(exact)), (m, f, flt, exact)
        clv_dec.append(exact)
        clv_flt.append(flt)
        aov.append(a)
        pfreq.append(pf)

    x = np.array([float(d) for d in clv_dec], dtype=np.float64)
    edges = np.quantile(x, np.linspace(0, 1, 5))
    scores = right_closed_scores(x, edges)
    if np.all(edges[1:] > edges[:-1]):
        assert np.array_equal(scores, pd.qcut(pd.Series(x), 4, labels=False).to_numpy() + 1)
    # The same scores from the float formula and from monetary (clv is monetary times a constant).
    x_f = np.array(clv_flt, dtype=np.float64)
    same_from_float = np.array_equal(scores, right_closed_scores(x_f, np.quantile(x_f, np.linspace(0, 1, 5))))
    x_m = np.array([float(m) for m in per["monetary"]], dtype=np.float64)
    same_from_monetary = np.array_equal(scores, right_closed_scores(x_m, np.quantile(x_m, np.linspace(0, 1, 5))))

    rows = []
    for i, cid in enumerate(per.index):
        s = int(scores[i])
        assert 1 <= s <= 4
        rows.append([
            cid, int(per["frequency"].iloc[i]), per["monetary"].iloc[i], aov[i], pfreq[i],
            clv_dec[i], s, SEGMENT_OF_SCORE[s],
        ])
    info = {
        "N": N, "repeat": repeat, "repeat_rate": repeat_rate, "churn_rate": churn_rate,
        "edges": edges, "same_from_float": same_from_float,
        "same_from_monetary": same_from_monetary,
        "scores": pd.Series(scores).value_counts().sort_index(),
        "edge_on_value": int(np.isin(edges[1:-1], x).sum()),
        # Smallest |clv - edge| / edge over the interior edges: how far rounding would
        # have to move a value to change its score.
        "edge_gap": min(float(np.min(np.abs(x - e)) / e) for e in edges[1:-1]),
    }
    return rows, info


def main():
    df = read_frame()
    rows, steps = used_rows(df)
    assert (rows["InvoiceDate"] < AS_OF).all()
    assert rows["CustomerID"].str.strip().eq(rows["CustomerID"]).all()
    orders = make_orders(rows)
    n_customers = orders["CustomerID"].nunique()
    total = exact_sum(rows["amount"])
    assert exact_sum(orders["amount"]) == total
    assert orders["lines"].sum() == len(rows)
    multi_time = orders[orders["time"] != orders["last_time"]]

    print(f"pandas {pd.__version__}, numpy {np.__version__}")
    for name, count in steps:
        print(f"{name + ':':32s}{count}")
    print(f"{'rows used:':32s}{len(rows)}")
    print(f"{'customers:':32s}{n_customers}")
    print(f"{'orders:':32s}{len(orders)}")
    print(f"{'total revenue:':32s}{money_text(total)}")
    print(f"{'first order:':32s}{orders['time'].min()}")
    print(f"{'last order:':32s}{orders['time'].max()}")
    print(f"orders whose rows have more than one InvoiceDate: {len(multi_time)}; "
          f"of them in different months: "
          f"{int((multi_time['time'].dt.to_period('M') != multi_time['last_time'].dt.to_period('M')).sum())}, "
          f"weeks: "
          f"{int((multi_time['time'].dt.to_period('W') != multi_time['last_time'].dt.to_period('W')).sum())}")

    for freq, name in KPI_FILES:
        table = kpi_table(orders, freq)
        write_csv(HERE / name, KPI_COLUMNS, table)
        empty = sum(1 for r in table if r[KPI_COLUMNS.index("active_customers")] == 0)
        incomplete = sum(1 for r in table if r[KPI_COLUMNS.index("complete")] == 0)
        print(f"wrote {name} ({len(table)} rows, {empty} empty, {incomplete} incomplete)")
        if freq == "M":
            for r in (table[0], table[-1]):
                print("  " + ",".join(fmt(v) for v in r))

    cohorts, n_cohorts = cohort_table(orders)
    write_csv(HERE / COHORT_FILE, COHORT_COLUMNS, cohorts)
    print(f"wrote {COHORT_FILE} ({len(cohorts)} rows, {n_cohorts} cohorts)")

    clv, info = clv_table(orders)
    write_csv(HERE / CLV_FILE, CLV_COLUMNS, clv)
    print(f"CLV customers N:                {info['N']}")
    print(f"CLV repeat customers:           {info['repeat']}")
    print(f"CLV repeat_rate:                {info['repeat_rate']!r}")
    print(f"CLV churn_rate:                 {info['churn_rate']!r}")
    print("CLV quartile edges:             [" + ", ".join(repr(float(e)) for e in info["edges"]) + "]")
    print(f"CLV interior edges equal to a value: {info['edge_on_value']}; "
          f"smallest relative gap to an interior edge: {info['edge_gap']:.2e}")
    print(f"same scores from the float formula: {info['same_from_float']}, "
          f"from monetary: {info['same_from_monetary']}")
    print("CLV scores 1..4:                " + ", ".join(str(int(v)) for v in info["scores"]))
    print(f"wrote {CLV_FILE} ({len(clv)} rows)")


if __name__ == "__main__":
    main()
