"""The Parquet schema of a row (docs/batch.md), and Parquet reading and writing.

The schema is written out rather than inferred, so every part of a run, and
every run, has the same column types whatever the pages held.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

_STR = pa.string()
_STRS = pa.list_(_STR)

SOURCE = pa.struct(
    [("file", _STR), ("offset", pa.int64()), ("record_id", _STR), ("line", pa.int64())]
)
BLOCK = pa.struct(
    [
        ("kind", _STR),
        ("text", _STR),
        ("level", pa.int8()),
        ("items", _STRS),
        ("ordered", pa.bool_()),
        ("rows", pa.list_(_STRS)),
        ("header", pa.bool_()),
        ("caption", _STR),
        ("credit", _STR),
        ("src", _STR),
        ("language", _STR),
    ]
)
DECISION = pa.struct([("stage", _STR), ("rule", _STR), ("reason", _STR), ("text", _STR)])

ROW = pa.schema(
    [
        ("source", SOURCE),
        ("url", _STR),
        ("status", _STR),
        ("reason", _STR),
        ("detail", _STR),
        ("text", _STR),
        ("title", _STR),
        ("kicker", _STR),
        ("subtitle", _STR),
        ("authors", _STRS),
        ("published", _STR),
        ("updated", _STR),
        ("dateline", _STR),
        ("site_name", _STR),
        ("language", _STR),
        ("description", _STR),
        ("image", _STR),
        ("tags", _STRS),
        ("blocks", pa.list_(BLOCK)),
        ("removed", pa.list_(DECISION)),
        ("sources", pa.map_(_STR, _STR)),
    ]
)


def table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table of the row schema (``sources`` as key/value pairs)."""
    fixed = [{**r, "sources": list(r["sources"].items())} for r in rows]
    return pa.Table.from_pylist(fixed, schema=ROW)


def write_parquet(path: str, rows: list[dict[str, Any]]) -> None:
    pq.write_table(table(rows), path, compression="zstd")


def concat_parquet(parts: list[str], path: str) -> None:
    """One Parquet file from several of the row schema, a row group per part, streaming."""
    with pq.ParquetWriter(path, ROW, compression="zstd") as writer:
        for part in parts:
            source = pq.ParquetFile(part)
            for group in range(source.num_row_groups):
                writer.write_table(source.read_row_group(group))
