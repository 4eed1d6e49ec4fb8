#!/usr/bin/env bash
# The llama.cpp natives a daemon folder carries (sourced by provisioning/provision.sh and scripts/image-steps.sh,
# which never build them): the folder scripts/build-natives.sh writes, checked and installed as
# <daemon folder>/natives/, where the daemon's default Inference:NativeDirectory looks. Only what the daemon
# loads is installed: the libraries natives.manifest lists (file=NAME SHA256), natives.manifest and llama.abi;
# never the llama.cpp programs a --tools build leaves beside them. The daemon checks the folder again at start
# and falls back to LLamaSharp's own natives when it cannot use it; this check refuses a folder that is broken
# (a file missing or changed, another platform) before it is installed, so a device never gets one.
set -euo pipefail

# The platform a natives folder is built for, as natives.manifest names it, for a .NET runtime identifier or a
# machine name (uname -m); nothing for one that has no natives.
natives_platform() {
  case $1 in
    linux-x64|x86_64|amd64) echo linux-x64 ;;
    linux-arm64|aarch64|arm64) echo linux-arm64 ;;
    *) return 1 ;;
  esac
}

# One value of natives.manifest (key=value lines; # starts a comment).
natives_manifest_value() { # MANIFEST KEY
  sed -nE "s/^$2=([^#]*).*$/\1/p" "$1" | head -n 1 | sed -E 's/[[:space:]]+$//'
}

# Checks DIR as a natives folder for PLATFORM and prints the files to install, one name a line. On a refusal it
# prints why to stderr and returns 1.
natives_check() { # DIR PLATFORM
  local dir=$1 platform=$2 manifest=$1/natives.manifest line name sum actual abi_sum
  local files=()
  [[ -f $manifest ]] || { echo "$dir has no natives.manifest (scripts/build-natives.sh writes one)" >&2; return 1; }
  [[ $(natives_manifest_value "$manifest" format) == 1 ]] || { echo "$manifest is not format=1" >&2; return 1; }
  [[ $(natives_manifest_value "$manifest" platform) == "$platform" ]] \
    || { echo "$dir is built for '$(natives_manifest_value "$manifest" platform)', not $platform" >&2; return 1; }
  while IFS= read -r line; do
    [[ $line =~ ^file=([^[:space:]]+)[[:space:]]+([0-9a-f]{64})[[:space:]]*$ ]] \
      || { echo "$manifest: '$line' is not file=NAME SHA256" >&2; return 1; }
    name=${BASH_REMATCH[1]}
    sum=${BASH_REMATCH[2]}
    # A plain library name: nothing outside the folder, nothing but libraries.
    [[ $name =~ ^lib[A-Za-z0-9._+-]+\.so$ ]] || { echo "$manifest lists '$name', which is not a library in the folder" >&2; return 1; }
    [[ -f $dir/$name && ! -L $dir/$name ]] || { echo "$dir has no $name, which natives.manifest lists" >&2; return 1; }
    actual=$(sha256sum "$dir/$name") || return 1
    [[ ${actual%% *} == "$sum" ]] || { echo "$dir/$name does not match its sha256 in natives.manifest" >&2; return 1; }
    files+=("$name")
  done < <(grep -E '^file=' "$manifest" || true)
  [[ " ${files[*]} " == *" libllama.so "* ]] || { echo "$manifest lists no libllama.so" >&2; return 1; }
  [[ -f $dir/llama.abi ]] || { echo "$dir has no llama.abi" >&2; return 1; }
  abi_sum=$(sha256sum "$dir/llama.abi") || return 1
  [[ ${abi_sum%% *} == "$(natives_manifest_value "$manifest" abi_sha256)" ]] \
    || { echo "$dir/llama.abi does not match abi_sha256 in natives.manifest" >&2; return 1; }
  printf '%s\n' "${files[@]}" natives.manifest llama.abi
}

# Installs the natives in DIR (checked for PLATFORM) as DEST: a copy of the checked files only, root's and
# read-only to the daemon (files 0644, the folder 0755), swapped in whole so a starting daemon never sees half a
# folder. A DEST that already holds this manifest and passes the check is left as it is. Prints what it did.
natives_install() { # DIR DEST PLATFORM
  local dir=$1 dest=$2 platform=$3 staging old listing name
  listing=$(natives_check "$dir" "$platform") || return 1
  if [[ -f $dest/natives.manifest ]] && cmp -s "$dir/natives.manifest" "$dest/natives.manifest" \
    && natives_check "$dest" "$platform" >/dev/null 2>&1; then
    echo "natives unchanged in $dest ($(natives_manifest_value "$dir/natives.manifest" source))"
    return 0
  fi
  staging="$(dirname "$dest")/.natives.new"
  old="$(dirname "$dest")/.natives.old"
  rm -rf "$staging" "$old"
  install -d -m 0755 "$staging"
  while IFS= read -r name; do
    install -m 0644 "$dir/$name" "$staging/$name"
  done <<<"$listing"
  # The copy is checked too: what lands is what the manifest promised.
  natives_check "$staging" "$platform" >/dev/null || { rm -rf "$staging"; return 1; }
  if [[ -e $dest ]]; then mv "$dest" "$old"; fi
  mv "$staging" "$dest"
  rm -rf "$old"
  echo "natives installed in $dest ($(natives_manifest_value "$dest/natives.manifest" source); variants: $(natives_manifest_value "$dest/natives.manifest" variants))"
}

# The libraries the natives in DIR need that this host's loader cannot find, one a line (the driver's libcuda aside:
# it comes with the GPU driver, not with the natives); nothing for a file that is not a library of this machine.
natives_unresolved() { # DIR
  local library
  for library in "$1"/lib*.so; do
    ldd "$library" 2>/dev/null | awk '$2 == "=>" && $3 == "not" && $1 !~ /^libcuda\.so/ {print $1}' || true
  done | sort -u
}
