"""Public statements of the books (`pompolit-statement/1`): the figures, recomputed from the
signed leaves of the "ledger" log, and every way a statement can be found wrong.

A statement carries ALL the leaves of the log up to its checkpoint (leaf 0 first), so every
figure — opening balances included — is recomputed from signed data alone; the figures of
the period come from the leaves dated in it. docs/transparency.md ("Statements") specifies
the document and each figure, so that anyone can write their own verifier.

A critic reads it in the order the verifier works:

- `read.py` — the document into typed values: amounts, dates and periods, the leaves;
- `chart.py` — the chart of accounts: which account codes have which types;
- `figures.py` — every figure recomputed from the leaves (`scan_leaves`);
- `compare.py` — the published figures against the recomputed ones, the leaves against
  the signed ones (`align`);
- `verify.py` — the checks in order: signatures, leaves, chart, figures, the previous
  statement;
- `problems.py` — what is found wrong, collected rather than raised one at a time;
- `write.py` — writing a statement (the server publishes with it).
"""
