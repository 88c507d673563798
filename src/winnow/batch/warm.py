"""Imported by the workers' forkserver: winnow's models, loaded once before any fork.

The block classifier, the text-line classifier and the language detector load
on first use. Loaded here, in the forkserver, every worker forked from it has
them from its first record, so a record's time budget times its extraction,
not a cold start (a replacement worker after a timeout would otherwise start
cold, and on a busy machine overrun the budget on its first record too).
"""

from __future__ import annotations

from winnow.batch.work import process as process  # what the workers run, imported once
from winnow.pipeline import extract

# Long enough for the language detector to run (it reads 40+ characters).
_PAGE = "<p>Warm-up: the ferry to the islands sails again at nine every evening.</p>"
_DUMP = "Warm-up\nThe ferry to the islands sails again at nine every evening.\n"

extract(_PAGE)
extract(_DUMP, input="text")
