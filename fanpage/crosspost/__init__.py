"""The cross-posting room: what is due (plan), the text (compose), the ledger, the run, and
one module per network behind one interface (``network.Network``)."""
