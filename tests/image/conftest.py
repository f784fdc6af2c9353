"""The container image tests need the images `make image-test` builds: without them they fail, never skip."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def images_built() -> None:
    if os.environ.get("UNTANGLE_IMAGE_TEST") != "1":
        pytest.fail("the container image tests need the images built first: run `make image-test`", pytrace=False)
