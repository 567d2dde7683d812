"""The cross-posting room: composing posts, the ledger, one module per network."""
