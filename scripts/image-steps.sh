#!/usr/bin/env bash
# The build stage of every EdgeLlm image, as a script: the Dockerfiles run it in their SDK stage, and CI runs
# it without Docker (tests/EdgeLlm.Appliance.Tests), so what an image holds is tested where no engine runs.
# It publishes the daemon self-contained for one runtime identifier and lays out the image's filesystem
# under ROOTFS: /opt/edgellm (the daemon, root-owned, read-only to it), /etc/edgellm (default settings and
# an empty trusted-keys folder), /var/lib/edgellm and /var/log/edgellm (the daemon's, mode 0750). With --natives,
# the llama.cpp natives scripts/build-natives.sh built for the image go to /opt/edgellm/natives, where the daemon
# looks first (provisioning/natives.bash: only the libraries, natives.manifest and llama.abi).
# Exit codes: 0 done, 2 usage, 3 the natives folder is refused, 4 tool missing, 5 publish or layout failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../provisioning/natives.bash
. "$root/provisioning/natives.bash"

die() {
  local code=$1
  shift
  echo "image-steps: $*" >&2
  exit "$code"
}

usage() {
  cat <<'USAGE'
Usage: scripts/image-steps.sh --rid RID --rootfs DIR [--version V] [--revision SHA] [--natives DIR]
                              [--backend-module PATH]

  --rid RID              .NET runtime identifier: linux-x64 or linux-arm64
  --rootfs DIR           where the image's filesystem is laid out (created; must be empty or absent)
  --version V            the daemon's version (default 0.0.0-dev)
  --revision SHA         the source revision, recorded in the assembly and in opt/edgellm/BUILD-INFO
  --natives DIR          the llama.cpp natives for RID (scripts/build-natives.sh --print-dir), installed
                         as opt/edgellm/natives; without it the daemon runs on LLamaSharp's own natives
  --backend-module PATH  a ggml backend module as the image will hold it (for example
                         /opt/edgellm/lib/libggml-cuda.so); written to the default settings'
                         Inference:BackendModules. Repeat for several.
USAGE
}

rid=
rootfs=
version=0.0.0-dev
revision=unknown
natives=
modules=()
while (($#)); do
  case $1 in
    --rid) rid=${2:?}; shift 2 ;;
    --rootfs) rootfs=${2:?}; shift 2 ;;
    --version) version=${2:?}; shift 2 ;;
    --revision) revision=${2:?}; shift 2 ;;
    --natives) natives=${2:?}; shift 2 ;;
    --backend-module) modules+=("${2:?}"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown argument: $1" ;;
  esac
done
[[ $rid == linux-x64 || $rid == linux-arm64 ]] || { usage >&2; die 2 "--rid must be linux-x64 or linux-arm64"; }
[[ -n $rootfs ]] || { usage >&2; die 2 "--rootfs is required"; }
if [[ -e $rootfs ]] && [[ -n $(ls -A "$rootfs") ]]; then
  die 2 "$rootfs is not empty"
fi
for module in "${modules[@]}"; do
  [[ $module == /* ]] || die 2 "--backend-module must be an absolute path inside the image: $module"
done
command -v dotnet >/dev/null || die 4 "dotnet (the .NET SDK) is required"
# Checked before the publish, which takes minutes.
if [[ -n $natives ]]; then
  natives_check "$natives" "$(natives_platform "$rid")" >/dev/null || die 3 "--natives $natives is refused"
fi

app="$rootfs/opt/edgellm"
mkdir -p "$app"

# Self-contained: the runtime stage is runtime-deps only, the same for the CPU, CUDA and Jetson images.
# Not trimmed: LLamaSharp and the options binder reflect over types the trimmer cannot see.
dotnet publish "$root/src/EdgeLlm.Daemon" -c Release -r "$rid" --self-contained -p:PublishTrimmed=false \
  -p:Version="$version" -p:SourceRevisionId="$revision" -o "$app" -nologo -v quiet \
  || die 5 "dotnet publish failed"
[[ -x $app/edgellm ]] || die 5 "the publish has no edgellm executable"

# LLamaSharp ships natives for every platform; the image runs on one.
if [[ -d $app/runtimes ]]; then
  find "$app/runtimes" -mindepth 1 -maxdepth 1 ! -name "$rid" -exec rm -rf {} +
fi

# Root owns the program and the daemon cannot change it: files 0644, folders and the executable 0755.
find "$app" -type d -exec chmod 0755 {} +
find "$app" -type f -exec chmod 0644 {} +
chmod 0755 "$app/edgellm"
if [[ -n $natives ]]; then
  natives_install "$natives" "$app/natives" "$(natives_platform "$rid")" || die 5 "the natives could not be laid out"
fi

lock_value() { sed -nE "s/^$1=(.*)$/\1/p" "$root/native/ggml.lock"; }
cat >"$app/BUILD-INFO" <<INFO
version=$version
revision=$revision
rid=$rid
llama_cpp_tag=$(lock_value llama_cpp_tag)
llama_cpp_commit=$(lock_value llama_cpp_commit)
INFO
# The natives beside LLamaSharp's: which llama.cpp they come from, as their manifest says.
if [[ -n $natives ]]; then
  echo "natives_source=$(natives_manifest_value "$app/natives/natives.manifest" source)" >>"$app/BUILD-INFO"
  echo "natives_variants=$(natives_manifest_value "$app/natives/natives.manifest" variants)" >>"$app/BUILD-INFO"
fi
chmod 0644 "$app/BUILD-INFO"

# Default settings for a container: listen on every interface inside it (the runtime's port mapping or
# host network decides who reaches it). An appliance mounts its own /etc/edgellm over this one.
module_list=
for module in "${modules[@]}"; do
  module_list+="${module_list:+, }\"$module\""
done
mkdir -p "$rootfs/etc/edgellm/trusted-keys"
cat >"$rootfs/etc/edgellm/edgellm.json" <<JSON
{
  "Daemon": { "DataDirectory": "/var/lib/edgellm", "LogDirectory": "/var/log/edgellm" },
  "Api": { "Urls": "http://0.0.0.0:8080" },
  "Inference": { "BackendModules": [ $module_list ] },
  "Updates": { "TrustedKeysDirectory": "/etc/edgellm/trusted-keys" }
}
JSON
chmod 0755 "$rootfs/etc/edgellm" "$rootfs/etc/edgellm/trusted-keys"
chmod 0644 "$rootfs/etc/edgellm/edgellm.json"

mkdir -p "$rootfs/var/lib/edgellm" "$rootfs/var/log/edgellm"
chmod 0750 "$rootfs/var/lib/edgellm" "$rootfs/var/log/edgellm"
echo "image-steps: $rid rootfs ready in $rootfs (edgellm $version, $revision)"
