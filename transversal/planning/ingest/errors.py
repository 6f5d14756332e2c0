from __future__ import annotations


class IngestError(Exception):
    """A document could not be read; `message` is shown to the user as is.

    The message is plain Spanish rather than a lazy translation so the engine
    and its tests stay independent of Django settings. `code` is stable and
    meant for programs (logs, API responses, tests).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message
