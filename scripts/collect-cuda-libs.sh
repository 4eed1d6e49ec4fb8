#!/usr/bin/env bash
# Copies the CUDA toolkit libraries a ggml CUDA module needs at run time (libcudart, libcublas, libcublasLt,
# libnccl, as the native build stage's loader resolves them) into DEST, so the slim runtime image carries
# them beside the module. The driver's libcuda.so.1 is never copied: it must come from the host (the NVIDIA
# container toolkit or CDI mounts the one matching the kernel driver), and a copy would break that match.
# Exit codes: 0 done, 2 usage, 5 a needed toolkit library cannot be found.
set -euo pipefail

die() {
  local code=$1
  shift
  echo "collect-cuda-libs: $*" >&2
  exit "$code"
}

(($# == 2)) || die 2 "usage: scripts/collect-cuda-libs.sh MODULE DEST"
module=$1
dest=$2
[[ -f $module ]] || die 2 "$module does not exist"
mkdir -p "$dest"

# The toolkit's libraries, by soname. Anything else the module needs is either the driver (host),
# LLamaSharp's libggml-base.so (shipped with the daemon) or a system library of the runtime base.
toolkit='^lib(cudart|cublas|cublasLt|nccl)\.so(\.[0-9]+)*$'
driver='^lib(cuda|nvidia-[a-z-]+|nvrm[a-z_]*|nvos)\.so(\.[0-9]+)*$'

copied=0
missing=()
while read -r name _ path _; do
  if [[ $name =~ $driver ]]; then
    echo "collect-cuda-libs: $name comes from the host's driver; not copied"
  elif [[ $name =~ $toolkit ]]; then
    if [[ $path == not ]]; then
      missing+=("$name")
    else
      cp -L "$path" "$dest/$name"
      chmod 0644 "$dest/$name"
      echo "collect-cuda-libs: $name <= $path"
      copied=$((copied + 1))
    fi
  fi
done < <(ldd "$module" | awk '$2 == "=>" {print $1, $2, $3, $4}')

((${#missing[@]} == 0)) || die 5 "the module needs ${missing[*]}, which this machine's loader cannot find (set LD_LIBRARY_PATH to the toolkit's lib64)"
((copied > 0)) || die 5 "$module needs no CUDA toolkit library: is it a CUDA module?"
