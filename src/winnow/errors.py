"""The one exception winnow raises on purpose."""


class ExtractionError(Exception):
    """The input cannot be turned into a Document (for example, it is not text at all).

    Every other failure inside extraction is a bug; the public ``extract`` wraps
    them in this type so callers need one ``except`` clause.
    """
