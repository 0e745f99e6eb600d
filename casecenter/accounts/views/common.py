"""Small helpers of the administration views."""

from __future__ import annotations

from casecenter.core.errors import Conflict


def status_for(error) -> int:
    """A refused form answers 400, or 409 when another administrator changed the record meanwhile."""
    return 409 if isinstance(error, Conflict) else 400
