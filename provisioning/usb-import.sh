#!/usr/bin/env bash
# Device side of the air-gapped install (installed as /usr/local/sbin/edgellm-usb-import): checks a stick
# made by provisioning/usb-pack.sh and imports it. SHA256SUMS must carry a minisign signature by one of the
# trusted publisher keys in /etc/edgellm/trusted-keys, list every file under image/ and bundles/, and match
# each; only then is each image archive loaded into podman or docker (when one is installed) and each bundle
# copied into the daemon's drop folder <data-dir>/incoming/, where the daemon verifies and installs it.
# Nothing is imported unless everything checks out.
# Exit codes: 0 done, 2 usage, 3 the stick is refused, 4 a tool is missing.
set -euo pipefail

die() {
  local code=$1
  shift
  echo "edgellm-usb-import: $*" >&2
  exit "$code"
}

note() { echo "edgellm-usb-import: $*"; }

usage() {
  cat <<'USAGE'
Usage: edgellm-usb-import STICK [--prefix DIR] [--data-dir DIR] [--runtime auto|podman|docker|none]

  STICK                 the stick's mount point, or its EDGELLM/ folder
  --prefix DIR          the appliance's root (default /): trusted keys, data directory, owner
  --data-dir DIR        the daemon's data directory inside the root (default /var/lib/edgellm)
  --runtime R           where image archives are loaded: auto (podman, else docker, else none), podman,
                        docker, or none (skip them: a native install needs no image)
USAGE
}

stick=
prefix=
data_dir=/var/lib/edgellm
runtime=auto
while (($#)); do
  case $1 in
    --prefix) prefix=${2:?}; shift 2 ;;
    --data-dir) data_dir=${2:?}; shift 2 ;;
    --runtime) runtime=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die 2 "unknown option: $1" ;;
    *) [[ -z $stick ]] || die 2 "one stick at a time"; stick=$1; shift ;;
  esac
done
[[ -n $stick ]] || { usage >&2; die 2 "give the stick's mount point"; }
[[ -d $stick/EDGELLM ]] && stick=$stick/EDGELLM
[[ -f $stick/SHA256SUMS ]] || die 3 "$stick has no SHA256SUMS: not a stick made by usb-pack.sh"
command -v minisign >/dev/null || die 4 "minisign is required (apt-get install minisign) to check the publisher's signature"

keys_dir="$prefix/etc/edgellm/trusted-keys"
incoming="$prefix$data_dir/incoming"
[[ -d $prefix$data_dir ]] || die 2 "$prefix$data_dir does not exist: provision this device first"

# 1. The publisher's signature over the checksums, by any trusted key.
[[ -f $stick/SHA256SUMS.minisig ]] || die 3 "SHA256SUMS is not signed (no SHA256SUMS.minisig)"
signer=
for key in "$keys_dir"/*.pub; do
  [[ -f $key ]] || continue
  if minisign -V -q -p "$key" -m "$stick/SHA256SUMS" -x "$stick/SHA256SUMS.minisig" >/dev/null 2>&1; then
    signer=$(basename "$key")
    break
  fi
done
[[ -n $signer ]] || die 3 "SHA256SUMS is not signed by any trusted key in $keys_dir"
note "SHA256SUMS signed by $signer"

# 2. The list names exactly the files on the stick, each a plain relative path, and each matches.
mapfile -t listed < <(sed -E 's/^[0-9a-f]{64}  //' "$stick/SHA256SUMS" | sort)
for path in "${listed[@]}"; do
  [[ $path =~ ^(image|bundles)/[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die 3 "SHA256SUMS lists a path it may not: '$path'"
done
mapfile -t present < <(cd "$stick" && find image bundles -mindepth 1 2>/dev/null | sort)
[[ ${listed[*]} == "${present[*]}" ]] || die 3 "the stick's files differ from SHA256SUMS (listed: ${listed[*]}; present: ${present[*]})"
(cd "$stick" && sha256sum --check --strict --quiet SHA256SUMS) || die 3 "a file on the stick does not match SHA256SUMS"
note "${#listed[@]} files match SHA256SUMS"

# 3. Image archives, into the container runtime.
if [[ $runtime == auto ]]; then
  runtime=none
  for candidate in podman docker; do
    if command -v "$candidate" >/dev/null; then runtime=$candidate; break; fi
  done
fi
for archive in "${listed[@]}"; do
  [[ $archive == image/* ]] || continue
  case $runtime in
    podman|docker)
      "$runtime" load --input "$stick/$archive" || die 3 "$runtime could not load $archive"
      ;;
    none) note "no container runtime here: $archive not loaded (a native install does not need it)" ;;
    *) die 2 "--runtime must be auto, podman, docker or none" ;;
  esac
done

# 4. Bundles, into the drop folder: copied under a hidden name, then renamed, so the daemon never sees half
# a file; owned by the daemon's user, as if it had downloaded them.
owner=$(stat -c %u:%g "$prefix$data_dir")
install -d -m 0750 -o "${owner%:*}" -g "${owner#*:}" "$incoming"
for bundle in "${listed[@]}"; do
  [[ $bundle == bundles/* ]] || continue
  name=$(basename "$bundle")
  install -m 0640 -o "${owner%:*}" -g "${owner#*:}" "$stick/$bundle" "$incoming/.$name.partial"
  mv -f "$incoming/.$name.partial" "$incoming/$name"
  note "bundle $name -> $incoming/ (the daemon verifies and installs it)"
done
