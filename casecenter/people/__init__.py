"""The person registry (一人一档): resident ID numbers validated (GB 11643) with birth date and sex
derived, names with pinyin and initials, duplicates refused or suggested, merges that move every
reference (found through the models' meta, ``references``) and can be undone, ages and minors at
a given time, photos. The apps above add panels to the dossier (``panels.register`` at ``ready()``).

May import: core, ledger, accounts, jobs, search, law; not deadlines (on its line) nor any app above.
"""
