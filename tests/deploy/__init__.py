"""Tests of the scaled set-up in deploy/ (Redis, nginx, Rasa replicas)."""
