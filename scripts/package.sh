#!/usr/bin/env bash
# Builds the Linux release artifacts into dist/ and checks each one (scripts/check_artifacts.py).
#
#   scripts/package.sh        every Linux artifact (`make package`):
#                               dist/npm/    @nango-rs/node and one package per Linux target
#                                            (x64/arm64, gnu/musl), cross-compiled with cargo-zigbuild
#                               dist/python/ abi3 wheels (manylinux_2_17 x86_64 and aarch64,
#                                            musllinux_1_2 x86_64) and the sdist
#   scripts/package.sh x64    only what the install smoke tests need (`make test`), into dist/x64/:
#                             the main npm package, its linux-x64-gnu package and the manylinux
#                             x86_64 wheel
#
# glibc floor: 2.17 (the manylinux2014 baseline), for the addons and the wheels alike. The macOS and
# Windows addons are built by .github/workflows/release.yml.
set -euo pipefail
# One compound command: bash reads it whole before running it, so editing this file mid-run is safe.
{
cd "$(dirname "$0")/.."
repo=$PWD
mode=${1:-all}
dist=$repo/dist
glibc=2.17
cargo_out=${CARGO_TARGET_DIR:-$repo/target}
export PATH="$HOME/.cargo/bin:$repo/.venv/bin:$PATH"
# The Makefile's default triple must not leak into the cross builds.
unset CARGO_BUILD_TARGET

step() { printf '\n==> %s\n' "$*"; }
timed() { local t0=$SECONDS; "$@"; printf '    (%d s)\n' $((SECONDS - t0)); }

# The wheel to build for a target, by the policy its tag claims (--compatibility).
declare -A wheels
case $mode in
  all)
    node_targets=(aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-unknown-linux-gnu)
    wheels=([x86_64-unknown-linux-gnu]=manylinux_${glibc/./_} [aarch64-unknown-linux-gnu]=manylinux_${glibc/./_}
            [x86_64-unknown-linux-musl]=musllinux_1_2) ;;
  x64)
    # A folder of its own, so that `make test` leaves the full set of `make package` alone.
    dist=$repo/dist/x64
    node_targets=(x86_64-unknown-linux-gnu)
    wheels=([x86_64-unknown-linux-gnu]=manylinux_${glibc/./_}) ;;
  *) echo "usage: $0 [all|x64]" >&2; exit 2 ;;
esac

# Tools: rustup targets, zig (PyPI `ziglang` in .venv, via requirements-dev.txt), cargo-zigbuild.
bash scripts/setup.sh python
need=()
installed=$(rustup target list --installed)
for t in "${node_targets[@]}"; do grep -qx "$t" <<<"$installed" || need+=("$t"); done
if [ ${#need[@]} -gt 0 ]; then step "rustup target add ${need[*]}"; rustup target add "${need[@]}"; fi
# zig on PATH for cargo-zigbuild: the PyPI package ships the binary inside its module folder.
zigdir=$("$repo/.venv/bin/python" -c 'import ziglang, os; print(os.path.dirname(ziglang.__file__))')
export PATH="$zigdir:$PATH"
zigbuild_version=0.24.1
if [ "$(cargo-zigbuild --version 2>/dev/null | awk '{print $2}')" != "$zigbuild_version" ]; then
  step "cargo install cargo-zigbuild $zigbuild_version"
  cargo install --locked cargo-zigbuild --version "$zigbuild_version"
fi

rm -rf "$dist/npm" "$dist/python" "$dist/node-artifacts" "$dist/node-stage"
mkdir -p "$dist/npm" "$dist/python" "$dist/node-artifacts"

# Per target: the Node addon (gnu with the glibc floor in the triple, as cargo-zigbuild takes it),
# then the abi3 wheel through maturin's zig linker, which shares the target's dependency builds.
for t in "${node_targets[@]}"; do
  spec=$t
  [[ $t == *-gnu ]] && spec=$t.$glibc
  step "napi build --release -x --target $spec"
  (cd bindings-node && timed npx napi build --platform --release -x --target "$spec" \
     --output-dir "$dist/node-artifacts" --no-js)
  policy=${wheels[$t]:-}
  [ -n "$policy" ] || continue
  step "maturin build --release --zig --target $t --compatibility $policy"
  # Its own target dir: maturin's zig wrappers differ from cargo-zigbuild's, and in one dir each
  # would invalidate the other's C builds (ring, mimalloc) and everything above them.
  CARGO_TARGET_DIR="$cargo_out/wheels" timed maturin build -q --release --zig --target "$t" --compatibility "$policy" \
    -m bindings-python/Cargo.toml -o "$dist/python"
done
step "napi artifacts; npm pack"
# `napi artifacts` wants an addon for every configured target; here only the Linux ones are built,
# so it runs on a staging copy (package.json, npm/) whose napi targets are just those. The copy also
# keeps the addons out of the source tree.
stage=$dist/node-stage
mkdir -p "$stage"
cp -r bindings-node/npm "$stage/npm"
node -e '
  const fs = require("fs");
  const [pkg, out, ...targets] = process.argv.slice(1);
  const manifest = JSON.parse(fs.readFileSync(pkg, "utf8"));
  fs.writeFileSync(out, JSON.stringify({ ...manifest, napi: { ...manifest.napi, targets } }, null, 2));
' bindings-node/package.json "$stage/package.json" "${node_targets[@]}"
(cd "$stage" && "$repo/bindings-node/node_modules/.bin/napi" artifacts --output-dir "$dist/node-artifacts" --npm-dir npm)
for t in "${node_targets[@]}"; do
  platform=$(node -e "
    const [arch, , os, abi] = process.argv[1].split('-');
    const a = { x86_64: 'x64', aarch64: 'arm64' }[arch];
    console.log(os + '-' + a + '-' + abi)" "$t")
  npm pack --silent --pack-destination "$dist/npm" "$stage/npm/$platform" >/dev/null
done
npm pack --silent --pack-destination "$dist/npm" ./bindings-node >/dev/null
ls -l "$dist/npm"

if [ "$mode" = all ]; then
  step "maturin sdist"
  maturin sdist -m bindings-python/Cargo.toml -o "$dist/python"
fi
ls -l "$dist/python"

step "check every artifact"
"$repo/.venv/bin/python" scripts/check_artifacts.py --glibc "$glibc" "$dist"
if [ "$mode" = all ]; then
  # The sdist must build from source alone: pip builds it in an empty venv, with cargo (and no zig).
  step "sdist: pip wheel from source"
  tmp=$(mktemp -d)
  python3 -m venv "$tmp/venv"
  timed "$tmp/venv/bin/pip" wheel -q --disable-pip-version-check --no-deps -w "$tmp/wheel" "$dist"/python/*.tar.gz
  ls "$tmp/wheel"/*.whl
  rm -rf "$tmp"
fi
exit 0
}
