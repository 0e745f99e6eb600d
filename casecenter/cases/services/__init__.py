"""Writes of the cases app, each with its ledger event: the case and its decisions (``cases``), the
parties (``parties``), the coercive measures (``measures``) and the cause catalogue (``causes``)."""
