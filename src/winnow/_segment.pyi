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
        classes: ClassMatcher | None = None,  # categorises keys in C (else attr_bits)
    ) -> None: ...
    @property
    def fills(self) -> bool:
        """Whether Nodes and RawBlocks are made by filling their slots (else by calling them)."""
    @property
    def categorises(self) -> bool:
        """Whether class, id, role and itemprop are categorised in C (a ClassMatcher)."""
    def walk(self, address: int, /) -> tuple[list[Any], list[Any], int, int, bool]:
        """(nodes, blocks, hidden_seen, body_bits, truncated) of the tree under the node at
        address, which must be a live lexbor node."""

class ClassMatcher:
    """A class vocabulary pattern compiled (winnow.stages.class_match.Program), with the
    role and itemprop vocabularies: blocks._attr_bits in C."""

    def __init__(
        self,
        nodes: Sequence[tuple[int, int, int, int, int, int]],
        classes: Sequence[tuple[bool, Sequence[tuple[int, int, int]]]],
        alternatives: Sequence[int],
        top: Sequence[tuple[int, int]],
        *,
        roles: dict[str, int],  # lower-cased role -> bit
        itemprops: dict[str, int],  # lower-cased itemprop -> bit
    ) -> None: ...
    def class_bits(self, names: str, /) -> int | None:
        """The bits of the top-level alternatives of the pattern's finditer matches in
        names; None where the matcher gives up (nesting too deep for it)."""
    def attr_bits(
        self, cls: bytes | None, ident: bytes | None, role: bytes | None, itemprop: bytes | None, /
    ) -> int | None:
        """blocks._attr_bits of the four values decoded from UTF-8 as selectolax decodes
        them; None where the matcher gives up."""
