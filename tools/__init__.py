"""Command-line tools for checking Untangle (run as `python -m tools.<name>`)."""
