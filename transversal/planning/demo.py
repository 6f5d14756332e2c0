"""Demo data for planning (filled in as the domain is built)."""


def load(log) -> None:
    return None
