#!/usr/bin/env bash
# Publisher side of the air-gapped install: lays out a USB stick (or any folder) with the image archive and
# signed bundles, and a SHA256SUMS over all of them signed with the publisher's minisign key, so the device
# checks every byte against a key it already trusts (edgellm-usb-import). The stick layout:
#   EDGELLM/image/<name>.tar          docker save / podman save of the pinned image (optional)
#   EDGELLM/bundles/<name>.tar        signed update bundles (edgellm bundle create + minisign -Sm manifest.json)
#   EDGELLM/SHA256SUMS                sha256sum of every file above, paths relative to EDGELLM/
#   EDGELLM/SHA256SUMS.minisig        minisign signature of SHA256SUMS
# Exit codes: 0 done, 2 usage, 3 an input cannot be used, 4 a tool is missing.
set -euo pipefail

die() {
  local code=$1
  shift
  echo "usb-pack: $*" >&2
  exit "$code"
}

usage() {
  cat <<'USAGE'
Usage: provisioning/usb-pack.sh --out DIR --secret-key FILE [--image-archive FILE] [--bundle PATH]...

  --out DIR             the stick's mount point (EDGELLM/ is written inside it)
  --secret-key FILE     the publisher's minisign secret key; minisign asks for its password
  --image-archive FILE  the image, saved with: docker save -o edgellm.tar edgellm:1.4.0-cuda
  --bundle PATH         a signed bundle: a .tar, or a folder holding manifest.json and manifest.json.minisig
                        (packed here into a .tar of plain top-level files, as the daemon requires)
USAGE
}

out=
secret_key=
archives=()
bundles=()
while (($#)); do
  case $1 in
    --out) out=${2:?}; shift 2 ;;
    --secret-key) secret_key=${2:?}; shift 2 ;;
    --image-archive) archives+=("${2:?}"); shift 2 ;;
    --bundle) bundles+=("${2:?}"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown argument: $1" ;;
  esac
done
[[ -n $out && -n $secret_key ]] || { usage >&2; die 2 "--out and --secret-key are required"; }
((${#archives[@]} + ${#bundles[@]})) || die 2 "nothing to pack: give --image-archive and/or --bundle"
command -v minisign >/dev/null || die 4 "minisign is required"

stick="$out/EDGELLM"
mkdir -p "$stick/image" "$stick/bundles"
for archive in "${archives[@]}"; do
  [[ -f $archive ]] || die 3 "$archive does not exist"
  cp "$archive" "$stick/image/$(basename "$archive")"
done
for bundle in "${bundles[@]}"; do
  if [[ -d $bundle ]]; then
    [[ -f $bundle/manifest.json && -f $bundle/manifest.json.minisig ]] || die 3 "$bundle is not a signed bundle folder"
    # Plain top-level files only: the daemon refuses folders, links and paths in a bundle .tar.
    mapfile -t entries < <(cd "$bundle" && find . -mindepth 1 -maxdepth 1 -type f -printf '%P\n' | sort)
    tar -C "$bundle" --owner=0 --group=0 --numeric-owner -cf "$stick/bundles/$(basename "$bundle").tar" "${entries[@]}"
  elif [[ -f $bundle && $bundle == *.tar ]]; then
    cp "$bundle" "$stick/bundles/$(basename "$bundle")"
  else
    die 3 "$bundle is neither a bundle folder nor a .tar"
  fi
done

(cd "$stick" && find image bundles -type f -print0 | sort -z | xargs -0 sha256sum) >"$stick/SHA256SUMS"
rm -f "$stick/SHA256SUMS.minisig"
minisign -S -s "$secret_key" -m "$stick/SHA256SUMS" -t "edgellm usb $(date -u +%Y-%m-%dT%H:%M:%SZ)" >/dev/null \
  || die 3 "minisign could not sign $stick/SHA256SUMS"
echo "usb-pack: $stick ready: $(wc -l <"$stick/SHA256SUMS") files, SHA256SUMS signed"
