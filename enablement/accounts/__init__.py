"""Accounts and permissions: the role groups and the one policy that decides who sees what."""
