"""Build code of the newsroom site (MkDocs hooks)."""
