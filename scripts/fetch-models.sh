#!/usr/bin/env bash
# Puts the small test/dev models into .models/ (the repo's ignored model cache).
# Looks in ../shared/models first (offline), otherwise downloads from the public
# upstream. Every file is checked against the SHA-256 pinned in models.lock.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.models"
shared="${EDGELLM_SHARED_MODELS:-$root/../shared/models}"
mkdir -p "$dest"
while IFS=$'\t' read -r name sha bytes url; do
  case "$name" in ''|'#'*) continue ;; esac
  target="$dest/$name"
  if [ -f "$target" ] && echo "$sha  $target" | sha256sum -c --status; then
    continue
  fi
  tmp="$target.part"
  if [ -f "$shared/$name" ]; then
    cp "$shared/$name" "$tmp"
  else
    echo "fetch-models: downloading $name" >&2
    curl -fsSL --retry 3 --max-filesize "$((bytes + 1))" -o "$tmp" "$url"
  fi
  if ! echo "$sha  $tmp" | sha256sum -c --status; then
    rm -f "$tmp"
    echo "fetch-models: $name does not match its pinned SHA-256; refusing it" >&2
    exit 1
  fi
  mv "$tmp" "$target"
done < "$root/scripts/models.lock"
echo "$dest"
