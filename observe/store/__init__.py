"""Storage: atomic TinyDB files, the session repository, locks, the index and merging."""
