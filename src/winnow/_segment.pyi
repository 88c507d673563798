"""The tree walk of winnow.stages.blocks.segment over lexbor's structures
(src/winnow/_segment.c); winnow.stages.lexbor_walk sets it up and checks it."""

from collections.abc import Callable, Sequence
from typing import Any

# Name ids below this are indexes into lexbor's static tables of known names.
STATIC_IDS: int

def node_ids(address: int, /) -> tuple[int, int, int]:
    """(node type, local name id, qualified name id or 0) of the lexbor node at address."""

def attr_ids(address: int, /) -> list[tuple[int, int]]:
    """(local name id, qualified name id or 0) of each attribute of the element at address."""

class Walker:
    """blocks.segment_python's walk, with lexbor's ids for the tags and attributes it reads."""

    def __init__(
        self,
        tags: Sequence[tuple[str, int, int, int]],  # (name, static id, K_* flags, category bit)
        text_id: int,  # the local name id of text nodes
        attrs: Sequence[int | None],  # static id of each attribute read, None if lexbor has none
        node_type: Callable[..., Any],  # blocks.Node
        block_type: Callable[..., Any],  # blocks.RawBlock
        attr_bits: Callable[[tuple[Any, ...]], int],  # blocks._attr_bits
        hidden_bit: int,
        max_blocks: int,
        figure_reach: int,
        node_fields: tuple[str, ...] | None = None,  # fill Node's slots, these, in order
        block_fields: tuple[str, ...] | None = None,  # the same for RawBlock
    ) -> None: ...
    @property
    def fills(self) -> bool:
        """Whether Nodes and RawBlocks are made by filling their slots (else by calling them)."""
    def walk(self, address: int, /) -> tuple[list[Any], list[Any], int, int, bool]:
        """(nodes, blocks, hidden_seen, body_bits, truncated) of the tree under the node at
        address, which must be a live lexbor node."""
