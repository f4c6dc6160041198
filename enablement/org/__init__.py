"""People and teams: the org tree, its reads and writes, its events and the demo org."""
