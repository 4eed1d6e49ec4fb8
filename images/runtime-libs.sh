#!/usr/bin/env bash
# The natives stage of every image: copies into DEST the shared libraries that the llama.cpp natives in NATIVES
# need and the slim runtime image lacks, and refuses natives that need anything else. Today that is the
# compiler's OpenMP runtime, libgomp.so.1 (ggml's CPU backend is built with OpenMP; runtime-deps has no libgomp1),
# taken from the stage that compiled the natives so it is the one they were built against. Everything else a
# library needs must be in NATIVES itself, in the runtime base (the C and C++ runtimes), the CUDA toolkit's
# libraries (scripts/collect-cuda-libs.sh copies those) or the host's driver: a library the stage's loader cannot
# place fails the image build here, not the daemon at its first model.
# Exit codes: 0 done, 2 usage, 5 a library needs something the runtime image would not have.
set -euo pipefail

die() {
  local code=$1
  shift
  echo "runtime-libs: $*" >&2
  exit "$code"
}

(($# == 2)) || die 2 "usage: images/runtime-libs.sh NATIVES DEST"
natives=$1
dest=$2
[[ -f $natives/natives.manifest ]] || die 2 "$natives has no natives.manifest"
mkdir -p "$dest"

# What the runtime base image has (runtime-deps: glibc, libstdc++, libgcc_s), what comes with the CUDA module
# (the toolkit, collected beside it; the driver, from the host), and what is copied here.
base='^(linux-vdso|ld-linux[-a-z0-9_]*|libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s)\.so(\.[0-9]+)*$'
cuda='^lib(cudart|cublas|cublasLt|nccl|cuda|nvidia-[a-z-]+|nvrm[a-z_]*|nvos)\.so(\.[0-9]+)*$'
copied='^libgomp\.so\.1$'

refused=()
for library in "$natives"/lib*.so; do
  while read -r name arrow path _; do
    name=${name##*/}
    if [[ -f $natives/$name || $name =~ $base || $name =~ $cuda ]]; then
      continue
    elif [[ $name =~ $copied && $arrow == "=>" && $path != not ]]; then
      [[ -f $dest/$name ]] || { cp -L "$path" "$dest/$name" && chmod 0644 "$dest/$name" && echo "runtime-libs: $name <= $path"; }
    else
      refused+=("$(basename "$library") needs $name")
    fi
  done < <(ldd "$library" | awk '{print $1, $2, $3}')
done
((${#refused[@]} == 0)) || die 5 "the runtime image would not have: ${refused[*]}"
echo "runtime-libs: $(find "$dest" -maxdepth 1 -type f | wc -l) libraries in $dest for the natives in $natives"
