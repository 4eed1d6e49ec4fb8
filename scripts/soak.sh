#!/usr/bin/env bash
# Soaks the real daemon (not CI): builds it (Release), mounts a size-limited tmpfs as its data directory, and runs
# tests/EdgeLlm.Soak against it for --minutes (default 30): the contract fuzzer, cancellation churn, stalled readers,
# one key's flood beside another key's steady requests, overload bursts and a disk-full episode. Prints requests by
# status, every 5xx, the second key's latency unloaded against flooded, the daemon's RSS/threads/fds at start and
# end, the recovery times, and exits non-zero when a goal fails. Needs root (the tmpfs mount).
#   scripts/soak.sh [--minutes N] [--model PATH] [-- --Section:Key value ...]
# Settings after '--' go to 'edgellm serve'. SOAK_DISK_MB sizes the tmpfs (default 256).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
}

minutes=30
model=""
serve=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="${2:?--minutes needs a value}"; shift 2 ;;
    --model) model="${2:?--model needs a path}"; shift 2 ;;
    --help|-h) usage; exit 0 ;;
    --) shift; serve=("$@"); break ;;
    *) echo "soak: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "soak: the disk-full episode needs a size-limited tmpfs, and mounting one needs root; run it as root (sudo scripts/soak.sh ...)." >&2
  exit 2
fi
for tool in mount umount mountpoint dotnet; do
  command -v "$tool" > /dev/null || { echo "soak: '$tool' is missing" >&2; exit 2; }
done

if [ -z "$model" ]; then
  model="$("$root/scripts/fetch-models.sh")/stories260K.gguf"
fi
[ -f "$model" ] || { echo "soak: no model file at '$model'" >&2; exit 2; }

# The soak project builds the daemon alongside (a project reference that is not referenced by the code).
dotnet build "$root/tests/EdgeLlm.Soak" -c Release -nologo -v quiet -clp:NoSummary

scratch=$(mktemp -d /tmp/edgellm-soak.XXXXXX)
data="$scratch/data"
pid_file="$scratch/daemon.pid"
mkdir -p "$data" "$scratch/logs"

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # The soak kills its daemon; this only catches one left behind when the soak itself died.
  if [ -s "$pid_file" ]; then
    local pid
    pid=$(cat "$pid_file")
    if kill -0 "$pid" 2> /dev/null; then
      kill -KILL "$pid" 2> /dev/null || true
    fi
  fi
  if mountpoint -q "$data"; then
    umount "$data" 2> /dev/null || umount -l "$data"
  fi
  echo "soak: the daemon's logs are kept in $scratch/logs" >&2
  rm -rf "$data" "$pid_file"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount -t tmpfs -o "size=${SOAK_DISK_MB:-256}m,mode=0700" edgellm-soak "$data"

soak_args=(--minutes "$minutes" --model "$model" --data-dir "$data" --log-dir "$scratch/logs" --pid-file "$pid_file")
if [ ${#serve[@]} -gt 0 ]; then
  soak_args+=(-- "${serve[@]}")
fi
dotnet "$root/tests/EdgeLlm.Soak/bin/Release/net10.0/EdgeLlm.Soak.dll" "${soak_args[@]}"
