#!/usr/bin/env python3
"""`make release-check`: one version everywhere, and every Linux artifact of `make package` present.

    python3 scripts/release_check.py [--dist dist] [--versions-only]

Versions: the Cargo workspace's (every member crate inherits it or equals it), every package.json of
ours (@nango-rs/*, the per-platform packages in bindings-node/npm/ included) and the versions of
@nango-rs/* packages they depend on, and bindings-python/pyproject.toml (a literal version, or
`dynamic` so that maturin takes the crate's). Artifacts: the file names scripts/package.sh writes,
at that version.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import List

from check_artifacts import report

REPO = Path(__file__).resolve().parents[1]
NODE_LINUX = ["linux-x64-gnu", "linux-arm64-gnu", "linux-x64-musl", "linux-arm64-musl"]
WHEEL_TAGS = ["manylinux_2_17_x86_64", "manylinux_2_17_aarch64", "musllinux_1_2_x86_64"]


# napi's platform folder name for each Rust target.
NAPI_PLATFORMS = {
    "x86_64-unknown-linux-gnu": "linux-x64-gnu",
    "aarch64-unknown-linux-gnu": "linux-arm64-gnu",
    "x86_64-unknown-linux-musl": "linux-x64-musl",
    "aarch64-unknown-linux-musl": "linux-arm64-musl",
    "x86_64-apple-darwin": "darwin-x64",
    "aarch64-apple-darwin": "darwin-arm64",
    "x86_64-pc-windows-msvc": "win32-x64-msvc",
}


def tracked(pattern: str) -> List[Path]:
    out = subprocess.run(["git", "ls-files", pattern], cwd=REPO, check=True, capture_output=True, text=True).stdout
    return [REPO / p for p in out.split() if "node_modules" not in p]


def version_problems() -> tuple[str, List[str]]:
    root = tomllib.loads((REPO / "Cargo.toml").read_text())
    version = root["workspace"]["package"]["version"]
    problems: List[str] = []
    for member in root["workspace"]["members"]:
        manifest = REPO / member / "Cargo.toml"
        pkg = tomllib.loads(manifest.read_text()).get("package")
        if pkg is None:
            continue
        v = pkg.get("version")
        if v != version and v != {"workspace": True}:
            problems.append(f"{manifest.relative_to(REPO)}: version {v!r}, the workspace's is {version}")
    for pj in tracked("*package.json"):
        data = json.loads(pj.read_text())
        if not str(data.get("name", "")).startswith("@nango-rs/"):
            continue
        if data.get("version") != version:
            problems.append(f"{pj.relative_to(REPO)}: {data['name']} {data.get('version')}, expected {version}")
        for field in ("dependencies", "optionalDependencies", "peerDependencies"):
            for dep, spec in (data.get(field) or {}).items():
                if dep.startswith("@nango-rs/") and spec != version:
                    problems.append(f"{pj.relative_to(REPO)}: {field} {dep} {spec!r}, expected {version}")
    pyproject = tomllib.loads((REPO / "bindings-python" / "pyproject.toml").read_text())["project"]
    if pyproject.get("version", version) != version and "version" not in pyproject.get("dynamic", []):
        problems.append(f"bindings-python/pyproject.toml: version {pyproject.get('version')}, expected {version}")
    if "version" not in pyproject and "version" not in pyproject.get("dynamic", []):
        problems.append("bindings-python/pyproject.toml: neither a version nor a dynamic one")
    # One npm/ folder per napi target: the packages napi's loader looks for, which the release
    # (`napi pre-publish`) lists as optionalDependencies (a lock file cannot hold them before they
    # are on the registry, so the committed manifest does not).
    node = json.loads((REPO / "bindings-node" / "package.json").read_text())
    dirs = {p.name for p in (REPO / "bindings-node" / "npm").iterdir() if p.is_dir()}
    platforms = {NAPI_PLATFORMS.get(t, t) for t in node["napi"]["targets"]}
    if dirs != platforms:
        problems.append(f"bindings-node: npm/ dirs {sorted(dirs)} differ from napi.targets {sorted(platforms)}")
    # The emulator's per-target packages: the same platforms, named after them, each shipping its binary.
    for platform in sorted(platforms):
        pj = REPO / "emulator" / "npm" / "npm" / platform / "package.json"
        if not pj.is_file():
            problems.append(f"emulator/npm/npm/{platform}/package.json is missing")
            continue
        sub = json.loads(pj.read_text())
        exe = "nango-emulator.exe" if platform.startswith("win32") else "nango-emulator"
        if sub.get("name") != f"@nango-rs/emulator-{platform}" or sub.get("files") != [exe]:
            problems.append(f"{pj.relative_to(REPO)}: name {sub.get('name')!r} files {sub.get('files')!r}, "
                            f"expected @nango-rs/emulator-{platform} with [{exe!r}]")
    extra = {p.name for p in (REPO / "emulator" / "npm" / "npm").iterdir() if p.is_dir()} - platforms
    if extra:
        problems.append(f"emulator/npm/npm has folders for no napi target: {sorted(extra)}")
    return version, problems


def artifact_problems(dist: Path, version: str) -> List[str]:
    expected = [dist / "npm" / f"nango-rs-node-{version}.tgz"]
    expected += [dist / "npm" / f"nango-rs-node-{p}-{version}.tgz" for p in NODE_LINUX]
    expected += [dist / "npm" / f"nango-rs-emulator-{version}.tgz"]
    expected += [dist / "npm" / f"nango-rs-emulator-{p}-{version}.tgz" for p in NODE_LINUX]
    # A wheel's platform tags may carry a legacy alias too (manylinux2014_x86_64.manylinux_2_17_x86_64).
    for tag in WHEEL_TAGS:
        found = [w for w in (dist / "python").glob(f"nango_rs-{version}-cp39-abi3-*.whl")
                 if tag in w.name[: -len(".whl")].split("-")[-1].split(".")]
        expected += found or [dist / "python" / f"nango_rs-{version}-cp39-abi3-{tag}.whl"]
    expected += [dist / "python" / f"nango_rs-{version}.tar.gz"]
    missing = [str(p.relative_to(dist.parent)) for p in expected if not p.is_file()]
    for p in expected:
        if p.is_file():
            print(f"  {p.relative_to(dist.parent)} ({p.stat().st_size // 1024} KiB)")
    return [f"missing artifact {m} (run `make package`)" for m in missing]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dist", type=Path, default=REPO / "dist")
    ap.add_argument("--versions-only", action="store_true")
    args = ap.parse_args()
    version, problems = version_problems()
    if not args.versions_only:
        problems += artifact_problems(args.dist, version)
    return report(f"release-check: version {version}", problems)


if __name__ == "__main__":
    sys.exit(main())
