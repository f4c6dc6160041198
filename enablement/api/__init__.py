"""Pieces every API view shares, and the API's own parts (clients, people)."""
