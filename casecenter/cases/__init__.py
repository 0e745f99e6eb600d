"""Intake with the acceptance record and the reporter's receipt, case numbers per unit and year, the
case-cause catalogue (``data/causes.toml``), the case's status machine, parties from the person
registry, coercive measures per suspect with their clocks, the case page and its timeline, the
demo's cases.

May import: core, ledger, accounts, jobs, search, law, deadlines, people; never web or config.
"""
