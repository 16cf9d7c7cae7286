"""Reference numbers a citizen can read down the phone.

Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B) in two
groups of four, e.g. ``BB-K7MQ-R4XD``: 24⁸ ≈ 110 billion, so a clash is rare, and the
database's unique constraint turns the rare clash into a retry, never a duplicate.
"""

import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY3467"


def new_reference(prefix: str | None = None) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    reference = f"{body[:4]}-{body[4:]}"
    return f"{prefix}-{reference}" if prefix else reference
