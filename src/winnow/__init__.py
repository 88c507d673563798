"""winnow: turn raw crawled pages into clean, structured documents."""

from winnow.errors import ExtractionError
from winnow.model import Block, Decision, Document
from winnow.options import Options
from winnow.pipeline import extract

__all__ = ["Block", "Decision", "Document", "ExtractionError", "Options", "extract"]
__version__ = "0.1.0"
