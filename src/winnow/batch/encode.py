"""Rows as bytes, encoded in the worker that made them.

The parent process reads records and writes rows for every worker, so on 2
cores its CPU time per page is what bounds the speed-up from 1 to 2 workers.
Building an Arrow table from row dicts in the parent cost about 6 ms a row
(profile of benchmarks/batch.py, nested ``blocks`` and ``removed`` lists);
as bytes encoded in the workers, the parent only moves and concatenates
them. A JSONL row is its line; a Parquet row is one Arrow record batch of
the row schema, without the schema (sender and receiver both know ``schema.ROW``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

Encoding = Literal["json", "arrow"]


@dataclass(frozen=True, slots=True)
class Encoded:
    """One row, encoded, with what the tally needs to count it."""

    status: str
    reason: str | None
    data: bytes


def encoding_for(fmt: str) -> Encoding:
    """The encoding an output format (``.parquet``, ``.jsonl``, …) takes."""
    return "arrow" if fmt == ".parquet" else "json"


def encode(row: dict[str, Any], encoding: Encoding) -> Encoded:
    if encoding == "arrow":
        from winnow.batch import schema

        data = schema.batch_bytes(row)
    else:
        data = json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n"
    return Encoded(row["status"], row["reason"], data)


def decode(encoded: Encoded, encoding: Encoding) -> dict[str, Any]:
    """The row again (for tests and callers that want dicts)."""
    if encoding == "arrow":
        from winnow.batch import schema

        return schema.table([encoded.data]).to_pylist()[0]  # type: ignore[no-any-return]
    return json.loads(encoded.data)  # type: ignore[no-any-return]
