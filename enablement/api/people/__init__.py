"""The people and teams API: what HR systems sync."""
