#!/usr/bin/env bash
# Runs the daemon on the embedded development default: data directory .dev/, the CPU backend,
# the stories260K model (from ../shared/models or its upstream, SHA-256 checked), loopback :8080.
# The first run creates an API key with every scope and keeps it in .dev/dev-api-key.txt.
# Extra arguments go to 'edgellm serve' (e.g. --urls http://127.0.0.1:9000). It prints the web console's URL:
# open it and sign in with the dev key.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
models=$("$root/scripts/fetch-models.sh")
dev="$root/.dev"
mkdir -p "$dev"
dotnet build "$root/src/EdgeLlm.Daemon" -c Release -o "$root/artifacts/daemon" -nologo -v quiet
edgellm=("dotnet" "$root/artifacts/daemon/edgellm.dll")
if [ ! -s "$dev/dev-api-key.txt" ]; then
  "${edgellm[@]}" keys create --data-dir "$dev" --name dev --tenant default \
    --scope inference --scope ingest --scope admin | awk '$1 ~ /^ellm_/ {print $1}' > "$dev/dev-api-key.txt"
fi
echo "API key for this dev data directory: $(cat "$dev/dev-api-key.txt")" >&2
url=http://127.0.0.1:8080
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --urls) url=${args[i + 1]:-$url} ;;
    --urls=*) url=${args[i]#--urls=} ;;
  esac
done
echo "Web console: ${url%%;*}/console (sign in with the key above)" >&2
export EDGELLM__Inference__FallbackChatTemplate="${EDGELLM__Inference__FallbackChatTemplate:-plain}"
exec "${edgellm[@]}" serve --data-dir "$dev" --model "$models/stories260K.gguf" "$@"
