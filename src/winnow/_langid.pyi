"""The byte-automaton walk of winnow.stages.langid_dfa (src/winnow/_langid.c).

It reads any contiguous buffer of the right item type; py3langid keeps its
tables in array.array, so the stub says so.
"""

from array import array
from collections.abc import Sequence

class Dfa:
    """py3langid's automaton; nextmove is held, row and output are copied and checked."""

    def __init__(
        self,
        nextmove: array[int],  # 'H' or 'I': 256 next states per distinct row
        row: array[int],  # 'H' or 'I', per state: its row in nextmove
        output: Sequence[int],  # per state: the feature counted on entering it, or -1
    ) -> None: ...
    def visits(self, data: bytes, /) -> dict[int, int]:
        """{feature: count} of the features the bytes visit, keys in first-visit order."""
