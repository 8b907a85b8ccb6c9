#!/usr/bin/env bash
# Runs the SST CLI with nothing fetched from outside the npm registry:
#  - SST_SKIP_DEPENDENCY_CHECK: do not download Pulumi or Bun from GitHub;
#  - SST_BUN_PATH: the Bun binary of the `bun` npm package installs the platform's packages (npm registry);
#  - SST's config and Bun's cache live under .sst/offline, not in $HOME; no telemetry.
# Deploying still needs AWS credentials and the Pulumi CLI and AWS provider plugin (see infra/README.md).
# Usage: bash infra/sst.sh install --stage ci
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bun="$root/node_modules/bun/bin/bun.exe"
if ! "$bun" --version >/dev/null 2>&1; then
  # The bun package's postinstall moves the platform binary into bin/; fall back to the platform package.
  bun="$(ls "$root"/node_modules/@oven/bun-*/bin/bun 2>/dev/null | head -n 1 || true)"
fi
if [ -z "$bun" ] || ! "$bun" --version >/dev/null 2>&1; then
  echo "infra/sst.sh: no working bun binary under node_modules (npm ci first)" >&2
  exit 1
fi

mkdir -p "$root/.sst/offline/config" "$root/.sst/offline/bun-cache"
export SST_SKIP_DEPENDENCY_CHECK=true
export SST_BUN_PATH="$bun"
export XDG_CONFIG_HOME="$root/.sst/offline/config"
export BUN_INSTALL_CACHE_DIR="$root/.sst/offline/bun-cache"
export SST_TELEMETRY_DISABLED=1
export DO_NOT_TRACK=1
exec "$root/node_modules/.bin/sst" "$@"
