from __future__ import annotations


class IngestError(Exception):
    """A document could not be read; `message` is shown to the user as is.

    The message is written in Spanish and translated with gettext when the
    error is raised (never at import time, so the engine imports without
    Django settings). `code` is stable and meant for programs (logs, API
    responses, tests).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message
