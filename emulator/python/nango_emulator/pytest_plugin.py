"""pytest plugin (entry point ``pytest11``): the ``nango_emulator`` fixture.

Each test that asks for ``nango_emulator`` gets its own emulator process, stopped after the test.
Override the ``nango_emulator_config`` fixture to give it a config (integrations, connections, ...).
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, Optional

import pytest

from . import Emulator, start


@pytest.fixture
def nango_emulator_config() -> Optional[Dict[str, Any]]:
    """The emulator's config for ``nango_emulator``; ``None``: the built-in demo integrations."""
    return None


@pytest.fixture
def nango_emulator(nango_emulator_config: Optional[Dict[str, Any]]) -> Iterator[Emulator]:
    """A running emulator on 127.0.0.1 (``.url``, ``.secret_key``, ``.signing_key``, ``.admin()``)."""
    with start(nango_emulator_config) as emulator:
        yield emulator
