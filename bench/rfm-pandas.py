#!/usr/bin/env python3
"""The reference for `crm rfm` in bench/run.js: the same RFM in pandas, as a data person would write it.

    python3 bench/rfm-pandas.py <orders.csv> <as-of YYYY-MM-DD> <window start YYYY-MM-DD>

orders.csv: customer_id,day,amount (no header), as `sqlite3 -csv shop.db "SELECT customer_id, day,
amount FROM orders"` writes it. Prints the seconds of read_csv and of the compute (days since the
last order; orders and spend after the window start; a score of 1-5 for each by quintile), as JSON.
"""
import json
import sys
import time

import pandas as pd

path, as_of, start = sys.argv[1:4]
t0 = time.perf_counter()
df = pd.read_csv(path, header=None, names=["customer_id", "day", "amount"], dtype={"customer_id": "int32", "amount": "int64"}, parse_dates=["day"])
t1 = time.perf_counter()
df = df[df["day"] <= pd.Timestamp(as_of)]
last = df.groupby("customer_id")["day"].max()
recency = (pd.Timestamp(as_of) - last).dt.days
window = df[df["day"] > pd.Timestamp(start)]
g = window.groupby("customer_id")["amount"]
rfm = pd.DataFrame({"recency": recency, "frequency": g.count(), "monetary": g.sum()}).fillna(0)
score = lambda s, asc: pd.qcut(s.rank(method="first", ascending=asc), 5, labels=[1, 2, 3, 4, 5]).astype(int)
rfm["r"] = score(rfm["recency"], False)
rfm["f"] = score(rfm["frequency"], True)
rfm["m"] = score(rfm["monetary"], True)
t2 = time.perf_counter()
print(json.dumps({"customers": len(rfm), "read_csv_s": round(t1 - t0, 2), "compute_s": round(t2 - t1, 2)}))
