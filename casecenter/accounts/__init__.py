"""Units (the organisation tree), users, roles and grants, two-factor sign-in, sessions, API tokens,
the separated administrators (三员), the demo organisation, and the one access table
(``access.py``) that lists every URL name and API operation; which units a user sees is decided by
``selectors.visible_units``.

May import: core, ledger.
"""
