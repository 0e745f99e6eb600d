"""The legal time limits: the rule catalog (``data/rules.toml``, each rule citing its article), the
holiday calendar, running clocks with pauses and extensions, the explanation of every due time, the
scan that raises warnings and breaches, the alerts inbox. A clock names its subject (a case, a
measure, a person) by id; the apps above lend the links and words of those ids through
``subjects`` (registries they fill from their ``AppConfig.ready``).

May import: core, ledger, accounts, jobs, search, law; not people (on its line) nor any app above.

Inside, modules import downwards only (the ``deadlines`` contract in pyproject.toml):

1. ``apps``, then the entry points: ``admin``, ``bench``, ``checks``, ``management``, ``tasks``, ``urls``;
2. pages and API: ``views``, ``templatetags``, ``api``, ``calendar_api`` (and ``scan_bench``), over ``forms``;
3. writes: ``services``;
4. reads and the scan: ``selectors``, ``scan``;
5. the rows: ``calendar_cache`` (the calendar of the database, per process) over ``models``;
6. no database: ``explain`` and ``describe`` (sentences) over ``computation`` (a due time and its
   steps) over ``rules`` (the process's catalog) over ``loader`` (reads the TOML files) over
   ``rule_types``, ``calendar`` (the Calendar of rest days), ``verification`` and ``subjects`` (the
   registries of the words and links that higher apps lend a clock).
"""
