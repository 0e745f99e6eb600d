"""Units (the organisation tree), users, roles and grants, two-factor sign-in, sessions, API tokens,
the separated administrators (三员) and their pages (the unit tree, accounts, roles, authenticators,
tokens, their home panels and the pickers: ``views/``), the demo organisation, and the one access
table (``access.py``) that lists every URL name and API operation; which units a user sees is
decided by ``selectors.visible_units``. Apps above tell it what keeps a unit in use (``holdings``).

May import: core, ledger.
"""
