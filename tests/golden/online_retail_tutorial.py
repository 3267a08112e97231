#!/usr/bin/env python3
"""Golden RFM output for the UCI Online Retail sample, made with pandas.

Reproduces the classic pandas RFM tutorial pipeline on
../../data/online-retail/online_retail.csv.gz and writes
online_retail_tutorial.csv next to this script.

Run with a Python 3 that has pandas (tested with Debian python3-pandas 1.5.3,
numpy 1.24.2):

    python3 tests/golden/online_retail_tutorial.py

Takes no arguments.
"""

import csv
import datetime as dt
import gzip
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "data" / "online-retail" / "online_retail.csv.gz"
OUT = HERE / "online_retail_tutorial.csv"

TODAY = dt.datetime(2011, 12, 11)

# Classic segment map, applied to str(r) + str(f). Anchored, first match wins.
SEG_MAP = [
    (r"[1-2][1-2]", "hibernating"),
    (r"[1-2][3-4]", "at_risk"),
    (r"[1-2]5", "cant_lose"),
    (r"3[1-2]", "about_to_sleep"),
    (r"33", "need_attention"),
    (r"[3-4][4-5]", "loyal_customers"),
    (r"41", "promising"),
    (r"51", "new_customers"),
    (r"[4-5][2-3]", "potential_loyalists"),
    (r"5[4-5]", "champions"),
]


def segment(rf):
    matches = [name for pattern, name in SEG_MAP if re.fullmatch(pattern, rf)]
    assert len(matches) == 1, f"RF score {rf!r} matches {matches}"
    return matches[0]


def read_frame():
    # Ids as strings so they are not turned into floats. Only empty fields count
    # as missing (the file holds no other NA-like strings, so pandas' default
    # na_values would give the same result).
    return pd.read_csv(
        DATA,
        dtype={
            "InvoiceNo": str,
            "StockCode": str,
            "Description": str,
            "Quantity": np.float64,
            "UnitPrice": np.float64,
            "CustomerID": str,
            "Country": str,
        },
        parse_dates=["InvoiceDate"],
        keep_default_na=False,
        na_values=[""],
    )


def exact_monetary():
    """Exact per-customer sum of Quantity * UnitPrice from the CSV text.

    Same filters as the pandas pipeline: customer id present, InvoiceNo without "C".
    """
    sums = {}
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            cid = row["CustomerID"]
            if cid == "" or "C" in row["InvoiceNo"]:
                continue
            value = Decimal(row["Quantity"]) * Decimal(row["UnitPrice"])
            sums[cid] = sums.get(cid, Decimal(0)) + value
    return sums


def main():
    df = read_frame()
    n_read = len(df)
    assert df["InvoiceDate"].dtype == "datetime64[ns]"

    # What the original tutorial does: df.dropna() on all columns.
    dropna_all = df.dropna()
    df = df[df["CustomerID"].notna()]
    n_no_customer = n_read - len(df)
    same_rows = dropna_all.index.equals(df.index)

    cancelled = df["InvoiceNo"].str.contains("C", na=False)
    n_cancelled = int(cancelled.sum())
    df = df[~cancelled].copy()
    n_used = len(df)

    df["TotalPrice"] = df["Quantity"] * df["UnitPrice"]

    rfm = df.groupby("CustomerID").agg(
        recency=("InvoiceDate", lambda d: (TODAY - d.max()).days),
        frequency=("InvoiceNo", lambda s: s.nunique()),
        monetary=("TotalPrice", "sum"),
    )
    # Order by customer id ascending as strings (ordinal). Python str comparison is
    # by code point, which is ordinal. This is also the tie-break order for
    # frequency.rank(method="first") below, so sort before ranking.
    rfm = rfm.loc[sorted(rfm.index)]
    rfm.index.name = "customer_id"

    n_customers = len(rfm)
    n_nonpositive = int((rfm["monetary"] <= 0).sum())
    # Customers with a non-positive monetary total are kept.

    r, r_edges = pd.qcut(rfm["recency"], 5, labels=[5, 4, 3, 2, 1], retbins=True)
    f_rank = rfm["frequency"].rank(method="first")
    f, f_edges = pd.qcut(f_rank, 5, labels=[1, 2, 3, 4, 5], retbins=True)
    m, m_edges = pd.qcut(rfm["monetary"], 5, labels=[1, 2, 3, 4, 5], retbins=True)
    rfm["r"] = r.astype(int)
    rfm["f"] = f.astype(int)
    rfm["m"] = m.astype(int)
    rfm["segment"] = [segment(f"{a}{b}") for a, b in zip(rfm["r"], rfm["f"])]

    # Exact monetary from the original text.
    exact = exact_monetary()
    assert sorted(exact) == list(rfm.index), "customer sets differ"
    max_diff = 0.0
    exact_text = []
    for cid, value in rfm["monetary"].items():
        e = exact[cid]
        # Decimal(float) is the exact binary value of the double.
        diff = abs(Decimal(value) - e)
        assert diff < Decimal("1e-6"), f"{cid}: float {value!r} vs exact {e}"
        max_diff = max(max_diff, float(diff))
        text = str(e)
        assert "E" not in text and "e" not in text, text
        exact_text.append(text)

    out = pd.DataFrame(
        {
            "customer_id": rfm.index,
            "recency": rfm["recency"].to_numpy(),
            "frequency": rfm["frequency"].to_numpy(),
            "monetary": exact_text,
            "r": rfm["r"].to_numpy(),
            "f": rfm["f"].to_numpy(),
            "m": rfm["m"].to_numpy(),
            "segment": rfm["segment"].to_numpy(),
        }
    )
    out.to_csv(OUT, index=False, lineterminator="\n")

    print(f"pandas {pd.__version__}, numpy {np.__version__}")
    print(f"rows read:                     {n_read}")
    print(f"rows without customer id:      {n_no_customer}")
    print(f"rows after dropping those:     {n_read - n_no_customer}")
    print(f"cancellation rows (InvoiceNo contains 'C'): {n_cancelled}")
    print(f"rows used:                     {n_used}")
    print(f"df.dropna() on all columns keeps {len(dropna_all)} rows; "
          f"same rows as dropping missing CustomerID only: {same_rows}")
    print(f"customers:                     {n_customers}")
    print(f"customers with monetary <= 0 (kept): {n_nonpositive}")
    print(f"max |float monetary - exact| = {max_diff!r}")
    def edges(values):
        return "[" + ", ".join(repr(float(x)) for x in values) + "]"

    print(f"recency edges:        {edges(r_edges)}")
    print(f"frequency rank edges: {edges(f_edges)}")
    print(f"monetary edges:       {edges(m_edges)}")
    print("segment counts:")
    for name, count in out["segment"].value_counts().sort_index().items():
        print(f"  {name}: {count}")
    print(f"wrote {OUT.name} ({len(out)} rows)")


if __name__ == "__main__":
    main()
