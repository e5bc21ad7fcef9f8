class VerificationError(Exception):
    """A check failed. `reason` is a sentence meant for the person reading it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DocumentError(VerificationError):
    """The input could not even be read: not JSON, unknown format, missing field.

    Kept apart from plain verification failures so the command line can tell
    "you gave me the wrong file" (exit 2) from "the accounts do not check out"
    (exit 1).
    """
