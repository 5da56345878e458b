"""The project's one exception family: messages written for the person at the keyboard.

Every error says what was wrong and what to do about it. The CLI turns a `QAError` into its
message and exit code 1; the UI shows it as a visible error. Nothing here knows about either.
"""

from __future__ import annotations


class QAError(Exception):
    """Base of every error meant for a user (never a bug: those stay ordinary exceptions)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class InputError(QAError):
    """The user gave something unusable: an empty question, a missing path, a bad file."""


class StoreError(QAError):
    """The vector store is missing, empty, corrupt or unreachable."""


class ModelError(QAError):
    """The language model could not be loaded or did not answer."""
