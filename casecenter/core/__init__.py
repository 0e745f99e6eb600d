"""The shared kernel every app builds on: errors and their one JSON shape (``errors``, ``api``), the
clock (``clock.now()``; ``clock.frozen()`` in tests), request ids and middleware, helpers of the
HTML pages and forms, and the benchmark harness (``casecenter bench``).

It imports no other app: it is the bottom of the order (DESIGN.md §2, checked by the ``apps``
contract in pyproject.toml).
"""
