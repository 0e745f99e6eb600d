"""The whole-process record: every write appends its event here in its own transaction
(``services.record_event``; each service declares its actions with ``actions.records``), kept in a
Merkle tree with signed checkpoints and proofs that verify offline; the audit browser, timelines
and their API. The apps above add the sentences their events read as (``describe.register``), and
the audit pages name people, units and records through ``names`` (Django's app registry).

May import: core. People, units and objects are kept by id and label, never imported.
"""
