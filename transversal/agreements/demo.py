"""Demo data for agreements (filled in as the domain is built)."""


def load(log) -> None:
    return None
