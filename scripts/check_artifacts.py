#!/usr/bin/env python3
"""Checks the Linux artifacts scripts/package.sh left in DIST, each against what its name claims.

    python scripts/check_artifacts.py --glibc 2.17 dist

For every native file (the `.node` inside each dist/npm/nango-rs-node-linux-*.tgz, the
`nango-emulator` executable inside each dist/npm/nango-rs-emulator-linux-*.tgz, the `.so` inside
each wheel):
  - ELF machine (readelf -h) is the one of the target in its name (x64 -> X86-64, arm64 -> AArch64);
  - a gnu build needs no GLIBC_x.y symbol version newer than the floor (objdump -T);
  - a musl build needs no GLIBC symbol at all and does not link glibc's libc.so.6.
For every wheel: `auditwheel show` reports the very platform tag the file name claims, and the tag
is abi3 (cp39-abi3); a musllinux wheel's library NEEDs musl's runtime soname libc.musl-<arch>.so.1
(scripts/musl_wheel_soname.py writes it). A musllinux wheel on a glibc host is read with Debian's musl
libc.so (package `musl`, which scripts/package.sh installs), and every musl library is loaded by musl's
own loader (musl_load_problems). Exits 1 with the list of problems.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import List, Tuple

REPO = Path(__file__).resolve().parents[1]

MACHINE = {"x64": "Advanced Micro Devices X86-64", "x86_64": "Advanced Micro Devices X86-64",
           "arm64": "AArch64", "aarch64": "AArch64"}


def version(v: str) -> Tuple[int, ...]:
    return tuple(int(x) for x in v.split("."))


def elf_problems(lib: Path, arch: str, libc: str, floor: str) -> List[str]:
    """What is wrong with one native library built for ARCH and LIBC ("gnu" or "musl")."""
    out: List[str] = []
    header = subprocess.run(["readelf", "-h", str(lib)], check=True, capture_output=True, text=True).stdout
    machine = re.search(r"Machine:\s*(.+)", header)
    got = machine.group(1).strip() if machine else "?"
    if got != MACHINE[arch]:
        out.append(f"ELF machine is {got!r}, expected {MACHINE[arch]!r}")
    # objdump reads any little-endian ELF's dynamic symbols (elf64-little), aarch64 included. A
    # static executable (zig links the musl emulator statically) has none: objdump says so and
    # exits 1, which is not a problem here; the NEEDED check below still runs.
    objdump = subprocess.run(["objdump", "-T", str(lib)], capture_output=True, text=True)
    if objdump.returncode != 0 and "not a dynamic object" not in objdump.stderr:
        raise RuntimeError(f"objdump -T {lib}: {objdump.stderr.strip()}")
    syms = objdump.stdout
    glibc = sorted({v for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", syms)}, key=version)
    dynamic = subprocess.run(["readelf", "-d", str(lib)], check=True, capture_output=True, text=True).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)
    if libc == "gnu":
        if not glibc:
            out.append("no GLIBC symbol versions at all: not a glibc build?")
        elif version(glibc[-1]) > version(floor):
            newer = [v for v in glibc if version(v) > version(floor)]
            out.append(f"needs GLIBC {', '.join(newer)} (floor {floor})")
    else:
        if glibc:
            out.append(f"a musl build with GLIBC symbol versions {glibc}")
        if any(n.startswith("libc.so.6") for n in needed):
            out.append(f"a musl build that links glibc's libc.so.6 (NEEDED {needed})")
    print(f"  {lib.name}: {got}; NEEDED {needed}; newest GLIBC {glibc[-1] if glibc else '-'}")
    if libc == "musl":
        out += musl_load_problems(lib, arch)
    return out


# What the host process provides to a library it loads: the Python C API, Node's N-API and libuv.
HOST_SYMBOL = re.compile(r"_?Py|napi_|uv_|node_")


def musl_load_problems(lib: Path, arch: str) -> List[str]:
    """Loads LIB with musl's own dynamic loader (Debian's `musl` package, where present) in its ldd
    mode: every NEEDED entry must resolve, and every symbol left unresolved must be one the host
    process provides (HOST_SYMBOL). A symbol this musl lacks (one newer musl added) is a problem.
    A static executable has nothing to load."""
    loader = Path(f"/lib/ld-musl-{arch.replace('x64', 'x86_64').replace('arm64', 'aarch64')}.so.1")
    if not loader.exists() or loader.name != f"ld-musl-{platform.machine()}.so.1":
        return []
    run = subprocess.run([str(loader), "--list", str(lib)], capture_output=True, text=True)
    text = run.stdout + run.stderr
    if "not a valid dynamic program" in text.lower():
        return []
    missing = re.findall(r"Error relocating [^:]+: (\S+): symbol not found", text)
    host = [m for m in missing if HOST_SYMBOL.match(m)]
    out = [f"musl's loader cannot resolve {m}" for m in missing if m not in host]
    out += [f"musl's loader: {line.strip()}" for line in text.splitlines()
            if "Error loading" in line or ("not found" in line and "Error relocating" not in line)]
    print(f"  {lib.name}: musl's loader ({loader}) resolves every NEEDED; {len(host)} symbols left to the host")
    return out


def check_platform_package(tgz: Path, floor: str, work: Path) -> List[str]:
    """A per-target npm package: @nango-rs/node-<platform> holds the addon named after the platform,
    @nango-rs/emulator-<platform> the executable `nango-emulator`; nothing else but package.json
    (and a README)."""
    m = re.match(r"nango-rs-(node|emulator)-linux-(x64|arm64)-(gnu|musl)-", tgz.name)
    if not m:
        return []
    pkg, arch, libc = m.groups()
    expected = f"nango-node.linux-{arch}-{libc}.node" if pkg == "node" else "nango-emulator"
    with tarfile.open(tgz) as t:
        files = [x for x in t.getmembers()
                 if x.isfile() and x.name not in ("package/package.json", "package/README.md")]
        if [x.name for x in files] != [f"package/{expected}"]:
            return [f"{tgz.name}: holds {[x.name for x in files]}, expected only package/{expected}"]
        t.extract(files[0], work, filter="data")
    out = []
    if pkg == "emulator" and files[0].mode & 0o111 != 0o111:
        out.append(f"mode {files[0].mode:o}, not executable by all")
    return [f"{tgz.name}: {p}" for p in out + elf_problems(work / files[0].name, arch, libc, floor)]


def check_wheel(whl: Path, floor: str, work: Path) -> List[str]:
    # nango_rs-0.1.0-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
    tags = whl.name[: -len(".whl")].split("-")
    python_tag, abi_tag, platform_tag = tags[-3:]
    problems: List[str] = []
    if (python_tag, abi_tag) != ("cp39", "abi3"):
        problems.append(f"tagged {python_tag}-{abi_tag}, expected cp39-abi3")
    # maturin writes the legacy alias too (manylinux2014_x86_64.manylinux_2_17_x86_64): the PEP 600 one counts.
    pep600 = [t for t in platform_tag.split(".") if re.match(r"(manylinux|musllinux)_\d+_\d+_(x86_64|aarch64)$", t)]
    if len(pep600) != 1:
        return [f"{whl.name}: platform tag {platform_tag!r} has no single manylinux_X_Y/musllinux_X_Y tag"]
    claimed = pep600[0]
    m = re.match(r"(manylinux|musllinux)_(\d+)_(\d+)_(x86_64|aarch64)$", claimed)
    assert m
    family, _, _, arch = m.groups()
    libc = "gnu" if family == "manylinux" else "musl"
    with zipfile.ZipFile(whl) as z:
        libs = [n for n in z.namelist() if n.endswith(".so")]
        if len(libs) != 1:
            return [f"{whl.name}: {len(libs)} native libraries, expected 1"]
        z.extract(libs[0], work)
    problems += elf_problems(work / libs[0], arch, libc, floor)
    env = None
    if libc == "musl":
        needed = subprocess.run(["readelf", "-d", str(work / libs[0])], check=True, capture_output=True,
                                text=True).stdout
        if f"[libc.musl-{arch}.so.1]" not in needed:
            problems.append(f"NEEDs no libc.musl-{arch}.so.1 (scripts/musl_wheel_soname.py not run?)")
    if libc == "musl" and platform.libc_ver()[0] == "glibc":
        # On a glibc host auditwheel resolves the library's libc to glibc's and fails; with Debian's
        # `musl` package, LD_LIBRARY_PATH points it at musl's real libc.so.
        musl_dir = Path(f"/usr/lib/{arch}-linux-musl")
        if not (musl_dir / "libc.so").exists():
            problems.append(f"auditwheel show not run: no {musl_dir}/libc.so (apt-get install musl)")
            return [f"{whl.name}: {p}" for p in problems]
        env = {**os.environ, "LD_LIBRARY_PATH": str(musl_dir)}
    show = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(whl)], capture_output=True, text=True,
                          env=env)
    text = " ".join((show.stdout + show.stderr).split())
    reported = re.search(r'platform tag:? "([^"]+)"', text)
    if show.returncode != 0 or not reported:
        problems.append(f"auditwheel show failed: {text[-400:]}")
    elif reported.group(1) != claimed:
        problems.append(f"auditwheel reports {reported.group(1)!r}, the name claims {claimed!r}")
    else:
        print(f"  auditwheel show {whl.name}: {reported.group(1)}")
    return [f"{whl.name}: {p}" for p in problems]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--glibc", required=True, help="the newest GLIBC symbol version allowed, e.g. 2.17")
    ap.add_argument("dist", type=Path)
    args = ap.parse_args()
    problems: List[str] = []
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, f in enumerate(sorted((args.dist / "npm").glob("*.tgz")) + sorted((args.dist / "python").glob("*.whl"))):
            work = Path(tmp) / str(i)
            work.mkdir()
            if f.suffix == ".whl":
                problems += check_wheel(f, args.glibc, work)
            else:
                problems += check_platform_package(f, args.glibc, work)
            checked += f.suffix == ".whl" or "-linux-" in f.name
        problems += main_emulator_problems(args.dist / "npm")
    if checked == 0:
        problems.append(f"no artifact found in {args.dist}")
    return report(f"check_artifacts: {checked} artifacts", problems)


def main_emulator_problems(npm: Path) -> List[str]:
    """@nango-rs/emulator: no binary of its own, and every per-target package of emulator/npm/npm
    (macOS and Windows included) as an optionalDependency at its own version."""
    found = sorted(npm.glob("nango-rs-emulator-[0-9]*.tgz"))
    if len(found) != 1:
        return [f"expected one @nango-rs/emulator tarball in {npm}, found {[f.name for f in found]}"]
    with tarfile.open(found[0]) as t:
        names = t.getnames()
        manifest = json.load(t.extractfile("package/package.json"))  # type: ignore[arg-type]
    out = [f"{found[0].name}: ships {n}" for n in names if n.startswith("package/bin/")]
    expected = {json.loads(p.read_text())["name"]: manifest["version"]
                for p in sorted((REPO / "emulator" / "npm" / "npm").glob("*/package.json"))}
    if manifest.get("optionalDependencies") != expected:
        out.append(f"{found[0].name}: optionalDependencies {manifest.get('optionalDependencies')}, expected {expected}")
    print(f"  {found[0].name}: {len(expected)} per-target optionalDependencies")
    return out


def report(what: str, problems: List[str]) -> int:
    """Prints each problem and a summary line; the exit code (1 when any)."""
    for p in problems:
        print(f"FAIL {p}")
    print(f"{what}, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
