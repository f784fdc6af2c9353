"""The web widget's browser tests and their helpers (untangle_*.py: the fake servers, the assistant's texts, page
helpers), imported as tests.web.* from the repository root (pytest.ini: pythonpath = .)."""
