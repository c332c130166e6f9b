"""Where the client's request records go (the native side calls ``_emit``; core decides what is
recorded and at which level, and builds the message and the fields).

Records go to the ``nango`` logger's handlers (and its ancestors'), at the level the client was
given (``log_level=`` or ``NANGO_LOG``): that setting already chose what to record, so the
logger's own level does not filter again; handler levels and filters still apply. With no handler
configured anywhere, records are written to stderr, as ``NANGO_LOG=debug`` alone should show
something.
"""

from __future__ import annotations

import logging
import sys
from typing import Dict, Union

LOGGER = logging.getLogger("nango")


def _emit(level: int, message: str, fields: Dict[str, Union[str, int]]) -> None:
    record = LOGGER.makeRecord(LOGGER.name, level, "(nango)", 0, message, (), None, extra=fields)
    if LOGGER.hasHandlers():
        LOGGER.handle(record)
    else:
        sys.stderr.write(f"nango {record.levelname} {message}\n")
