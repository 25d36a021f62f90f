"""Demo data of opinion monitoring (filled in below)."""


def generate(*, scale: float, stdout) -> dict:
    return {}
