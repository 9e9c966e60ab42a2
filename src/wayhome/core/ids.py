"""Globally unique, time-ordered record ids (UUIDv7) so offline laptops never collide with a server."""

from __future__ import annotations

import os
import time
import uuid


def new_id() -> str:
    """Return a new UUIDv7 (RFC 9562) as a 36-character string; time-ordered for index locality."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return str(uuid.UUID(int=value))


def is_uuid(text: str) -> bool:
    """Tell whether text is a UUID in canonical form."""
    try:
        return str(uuid.UUID(text)) == text.lower()
    except (ValueError, AttributeError, TypeError):
        return False


def new_instance_id() -> str:
    """Return a short, readable id naming one wayhome installation, e.g. ``wh-3f9a2c7d``."""
    return "wh-" + os.urandom(4).hex()
