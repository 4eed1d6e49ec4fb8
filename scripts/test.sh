#!/usr/bin/env bash
# Runs every test: unit, integration (real Kestrel, LiteDB, GGUF models) and end-to-end (the real
# edgellm process). Fetches the test models first (../shared/models, else upstream; SHA-256 pinned).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Tools the tests run: gcc (backend module fixtures), cmake and make (build-cuda-module.sh's build
# test), patchelf, shellcheck, minisign (signatures made as publishers make them), systemd-analyze
# and systemd-sysusers (the units are verified and provisioning creates its user with them), openssl
# (provisioning makes the API's CA and certificate), setfacl and getfacl (a credential laid out as
# systemd 256 does), mount (provisioning runs in a private /opt) and hostname (provisioning's default
# names; essential in Debian 12), Mosquitto and its clients (the telemetry uplink's broker), and the
# Prometheus Python client's parser (/metrics), chromium (the console's browser tests drive it through
# Playwright, which never downloads a browser), promtool from prometheus (the alert rules), clang-14 and python3 (scripts/natives-abi.py reads C headers with
# clang's AST). The rest (setpriv, unshare, stat, ldd, tar, awk) is in
# Debian's essential set. Debian packages; CI runs as root.
missing=()
for tool in gcc:gcc cmake:cmake make:make patchelf:patchelf shellcheck:shellcheck minisign:minisign \
  systemd-analyze:systemd systemd-sysusers:systemd openssl:openssl setfacl:acl mount:mount hostname:hostname \
  /usr/sbin/mosquitto:mosquitto mosquitto_pub:mosquitto-clients clang-14:clang-14 python3:python3 \
  chromium:chromium promtool:prometheus; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || missing+=(python3-prometheus-client)
if ((${#missing[@]})); then
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
scripts/fetch-models.sh >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test EdgeLlm.sln -c Release --nologo 2>&1 | tee "$log" || status=$?
# One plain summary line over all test assemblies.
awk '/(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { gsub(",", "", p); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
