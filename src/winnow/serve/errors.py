"""ApiError: a refusal with an HTTP status, a stable reason and a message."""

from __future__ import annotations


class ApiError(Exception):
    """Answered as ``{"error": {"status": …, "reason": …, "message": …}}``.

    ``reason`` is short and stable (it labels the errors metric and lets clients
    branch on it); ``message`` says in words what was wrong and what to send.
    """

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message

    def to_dict(self) -> dict[str, dict[str, int | str]]:
        return {"error": {"status": self.status, "reason": self.reason, "message": self.message}}
