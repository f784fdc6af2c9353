"""Scale-out deployment of Untangle: Redis-backed Rasa replicas behind nginx (see deploy/README.md)."""
