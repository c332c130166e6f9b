"""``python -m nango models [options]``: typed records from the server's own schema.

The command is the Rust core's (``nango-rs models``): it reads ``GET /scripts/config`` and writes
``TypedDict`` s (or pydantic models with ``--pydantic``), TypeScript or Rust types. This module only
prints what it returns; ``python -m nango --help`` lists the options.
"""

from __future__ import annotations

import sys
from typing import List, Optional

from ._errors import NangoError
from ._nango import _models_command


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command line ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] != "models":
        usage = "usage: python -m nango models [options]\n\n" + _models_command(["--help"])[0]
        if args and args[0] in ("-h", "--help"):
            sys.stdout.write(usage)
            return 0
        what = "a command is needed" if not args else f"unknown command {args[0]!r}"
        sys.stderr.write(f"nango: {what}\n{usage}")
        return 2
    try:
        stdout, stderr = _models_command(args[1:])
    except NangoError as err:
        sys.stderr.write(f"python -m nango models: {err} (code {err.code})\n")
        return 1
    sys.stderr.write(stderr)
    sys.stdout.write(stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
