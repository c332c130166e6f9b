#!/usr/bin/env bash
# Builds the Linux release artifacts into dist/ and checks each one (scripts/check_artifacts.py).
#
#   scripts/package.sh        every Linux artifact (`make package`), cross-compiled with cargo-zigbuild
#                             against the glibc floor:
#                               dist/npm/    @nango-rs/node and one package per Linux target
#                                            (x64/arm64, gnu/musl); @nango-rs/emulator and its
#                                            per-target binary packages, in the same layout
#                               dist/python/ abi3 wheels (manylinux_2_17 x86_64 and aarch64,
#                                            musllinux_1_2 x86_64) and the sdist
#   scripts/package.sh x64    only what the install smoke tests use (`make test`), into dist/x64/:
#                             the two main npm packages with their linux-x64-gnu packages, and the
#                             x86_64 abi3 wheel. Built natively (no zig, no cargo-zigbuild) in the
#                             release profile of the host triple, so the addon, the wheel and the
#                             emulator share one target dir and their dependency builds; the wheel's
#                             manylinux tag is the one the host's glibc gives (maturin picks it,
#                             auditwheel must agree). The 2.17 floor is what `make package` checks.
#
# glibc floor: 2.17 (the manylinux2014 baseline), for the addons, the binaries and the wheels alike.
# The macOS and Windows ones are built by .github/workflows/release.yml.
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
    # The musllinux target first, and in each target the wheel first: the soname rewrite and
    # auditwheel's musl policy are what fails first when something changes.
    targets=(x86_64-unknown-linux-musl aarch64-unknown-linux-gnu aarch64-unknown-linux-musl x86_64-unknown-linux-gnu)
    wheels=([x86_64-unknown-linux-gnu]=manylinux_${glibc/./_} [aarch64-unknown-linux-gnu]=manylinux_${glibc/./_}
            [x86_64-unknown-linux-musl]=musllinux_1_2) ;;
  x64)
    # A folder of its own, so that `make test` leaves the full set of `make package` alone.
    dist=$repo/dist/x64
    targets=(x86_64-unknown-linux-gnu)
    wheels=([x86_64-unknown-linux-gnu]=native) ;;
  *) echo "usage: $0 [all|x64]" >&2; exit 2 ;;
esac
# The zig builds get a target dir of their own (target/zig, or $CARGO_TARGET_DIR/zig): cargo-zigbuild
# strips the glibc suffix from the triple, so in the shared dir `make package` would write
# target/x86_64-unknown-linux-gnu/release, the very dir `package-x64` builds natively, and each would
# rebuild the other's C dependencies (ring, mimalloc) and overwrite its binaries.
build_dir=$cargo_out
if [ "$mode" = all ]; then
  build_dir=$cargo_out/zig
  export CARGO_TARGET_DIR=$build_dir
fi

# npm's platform folder for a Rust target, as napi names it: linux-x64-gnu, linux-arm64-musl, ...
platform_of() {
  local arch=${1%%-*} abi=${1##*-}
  case $arch in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; esac
  echo "linux-$arch-$abi"
}

# Tools: `all` needs rustup targets, zig (PyPI `ziglang` in .venv, via requirements-dev.txt) and
# cargo-zigbuild; `x64` only cargo, napi and maturin.
bash scripts/setup.sh python
if [ "$mode" = all ]; then
  need=()
  installed=$(rustup target list --installed)
  for t in "${targets[@]}"; do grep -qx "$t" <<<"$installed" || need+=("$t"); done
  if [ ${#need[@]} -gt 0 ]; then step "rustup target add ${need[*]}"; rustup target add "${need[@]}"; fi
  # zig on PATH for cargo-zigbuild: the PyPI package ships the binary inside its module folder.
  zigdir=$("$repo/.venv/bin/python" -c 'import ziglang, os; print(os.path.dirname(ziglang.__file__))')
  export PATH="$zigdir:$PATH"
  # Debian's musl: its libc.so lets auditwheel read the musllinux wheel on this glibc host.
  if [ ! -e /usr/lib/x86_64-linux-musl/libc.so ]; then
    step "apt-get install musl"
    sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq musl >/dev/null
  fi
  zigbuild_version=0.24.1
  if [ "$(cargo-zigbuild --version 2>/dev/null | awk '{print $2}')" != "$zigbuild_version" ]; then
    step "cargo install cargo-zigbuild $zigbuild_version"
    cargo install --locked cargo-zigbuild --version "$zigbuild_version"
  fi
fi

rm -rf "$dist/npm" "$dist/python" "$dist/node-artifacts" "$dist/node-stage" "$dist/emulator-stage"
mkdir -p "$dist/npm" "$dist/python" "$dist/node-artifacts"
# The emulator's packages are staged from a copy: the per-target folders get their binary, and
# the main package its optionalDependencies (a lock file cannot hold them before they are on the
# registry, so the committed manifest has none; the release adds them the same way).
emu_stage=$dist/emulator-stage
mkdir -p "$emu_stage"
cp -r emulator/npm/npm "$emu_stage/npm"

# Per target: the Node addon, the emulator binary, then the abi3 wheel.
for t in "${targets[@]}"; do
  policy=${wheels[$t]:-}
  if [ "$mode" = x64 ]; then
    # Native: cargo's release profile for the host triple, one target dir for all three.
    step "napi build --release --target $t"
    (cd bindings-node && timed npx napi build --platform --release --target "$t" \
       --output-dir "$dist/node-artifacts" --no-js)
    step "cargo build --release -p nango-emulator --target $t"
    timed cargo build -q --release --target "$t" -p nango-emulator --bin nango-emulator
    step "maturin build --release --target $t (its manylinux tag from the host's glibc)"
    timed maturin build -q --release --target "$t" -m bindings-python/Cargo.toml -o "$dist/python"
  else
    # gnu with the glibc floor in the triple, as cargo-zigbuild takes it.
    spec=$t
    [[ $t == *-gnu ]] && spec=$t.$glibc
    if [ -n "$policy" ]; then
      step "maturin build --release --zig --target $t --compatibility $policy"
      # Its own target dir: maturin's zig wrappers differ from cargo-zigbuild's, and in one dir each
      # would invalidate the other's C builds (ring, mimalloc) and everything above them.
      CARGO_TARGET_DIR="$build_dir/wheels" timed maturin build -q --release --zig --target "$t" \
        --compatibility "$policy" -m bindings-python/Cargo.toml -o "$dist/python"
      if [[ $policy == musllinux* ]]; then
        # zig records NEEDED libc.so; the musllinux policy wants musl's runtime soname.
        "$repo/.venv/bin/python" scripts/musl_wheel_soname.py "$dist"/python/*-"${policy}_${t%%-*}".whl
      fi
    fi
    step "napi build --release -x --target $spec"
    (cd bindings-node && timed npx napi build --platform --release -x --target "$spec" \
       --output-dir "$dist/node-artifacts" --no-js)
    step "cargo zigbuild --release -p nango-emulator --target $spec"
    timed cargo zigbuild -q --release --target "$spec" -p nango-emulator --bin nango-emulator
  fi
  install -m 755 "$build_dir/$t/release/nango-emulator" "$emu_stage/npm/$(platform_of "$t")/nango-emulator"
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
' bindings-node/package.json "$stage/package.json" "${targets[@]}"
(cd "$stage" && "$repo/bindings-node/node_modules/.bin/napi" artifacts --output-dir "$dist/node-artifacts" --npm-dir npm)
for t in "${targets[@]}"; do
  npm pack --silent --pack-destination "$dist/npm" "$stage/npm/$(platform_of "$t")" >/dev/null
  npm pack --silent --pack-destination "$dist/npm" "$emu_stage/npm/$(platform_of "$t")" >/dev/null
done
npm pack --silent --pack-destination "$dist/npm" ./bindings-node >/dev/null
# @nango-rs/emulator with every per-target package as an optionalDependency (all of emulator/npm/npm,
# macOS and Windows included: npm installs only the one for the user's machine). Without
# NANGO_EMULATOR_BIN its prepack stages no binary of its own into bin/.
mkdir -p "$emu_stage/main"
cp emulator/npm/index.js emulator/npm/index.d.ts emulator/npm/README.md "$emu_stage/main/"
node -e '
  const fs = require("fs");
  const [pkg, out, npmDir] = process.argv.slice(1);
  const manifest = JSON.parse(fs.readFileSync(pkg, "utf8"));
  const optionalDependencies = {};
  for (const dir of fs.readdirSync(npmDir).sort()) {
    const sub = JSON.parse(fs.readFileSync(`${npmDir}/${dir}/package.json`, "utf8"));
    optionalDependencies[sub.name] = sub.version;
  }
  delete manifest.scripts.prepack;
  fs.writeFileSync(out, JSON.stringify({ ...manifest, optionalDependencies }, null, 2) + "\n");
' emulator/npm/package.json "$emu_stage/main/package.json" emulator/npm/npm
(cd "$emu_stage/main" && env -u NANGO_EMULATOR_BIN npm pack --silent --pack-destination "$dist/npm" >/dev/null)
ls -l "$dist/npm"

if [ "$mode" = all ]; then
  step "maturin sdist"
  maturin sdist -m bindings-python/Cargo.toml -o "$dist/python"
fi
ls -l "$dist/python"

step "check every artifact"
if [ "$mode" = all ]; then
  "$repo/.venv/bin/python" scripts/check_artifacts.py --glibc "$glibc" "$dist"
  # The sdist must build from source alone: pip builds it in an empty venv, with cargo (and no zig).
  step "sdist: pip wheel from source"
  tmp=$(mktemp -d)
  python3 -m venv "$tmp/venv"
  timed "$tmp/venv/bin/pip" wheel -q --disable-pip-version-check --no-deps -w "$tmp/wheel" "$dist"/python/*.tar.gz
  ls "$tmp/wheel"/*.whl
  rm -rf "$tmp"
else
  # Native builds: the floor is the host's glibc (the 2.17 one is `make package`'s).
  "$repo/.venv/bin/python" scripts/check_artifacts.py --glibc "$(ldd --version | awk 'NR==1 {print $NF}')" "$dist"
fi
exit 0
}
