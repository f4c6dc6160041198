"""Outbound webhooks through a transactional outbox.

A change writes its events with `outbox.emit(...)` inside its own transaction; workers deliver them,
signed per Standard Webhooks, with retries and a log of every attempt. See the README, "Webhooks".
"""
