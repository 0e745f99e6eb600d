"""The statute library: the texts the time limits cite (shipped as data, loaded after ``migrate``),
versions side by side, article permalinks, full-text search (a search kind), the API.

May import: core, ledger, accounts, jobs, search.
"""
