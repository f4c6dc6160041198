"""API clients: machine callers with hashed, scoped, revocable tokens."""
