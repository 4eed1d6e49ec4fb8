#!/usr/bin/env bash
# Builds the ggml CUDA backend module (libggml-cuda.so) that edgellm loads beside LLamaSharp's CPU
# libraries, from a llama.cpp source tree whose ggml matches native/ggml.lock, and fixes its link to
# the ggml base library. A module from another ggml, or one bound to a second copy of ggml-base,
# would corrupt or crash the daemon, so the tree is checked first and the result verified after.
# Exit codes: 0 done, 2 usage, 3 source tree refused, 4 tool missing, 5 build or verification failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lock_file="$root/native/ggml.lock"
default_arch="80;86;89;90"

die() {
  local code=$1
  shift
  echo "build-cuda-module: $*" >&2
  exit "$code"
}

note() { echo "build-cuda-module: $*" >&2; }

# The pinned values live only in native/ggml.lock, which a test also checks against LLamaSharp's
# shipped libraries; this script never repeats them.
lock_value() {
  local value
  value=$(sed -nE "s/^$1=(.*)$/\1/p" "$lock_file" 2>/dev/null) || true
  [[ -n $value ]] || die 5 "native/ggml.lock has no $1"
  echo "$value"
}

usage() {
  local tag version api
  # --help must work even from a broken checkout, so the lock is optional here.
  tag=$(sed -nE 's/^llama_cpp_tag=(.*)$/\1/p' "$lock_file" 2>/dev/null || true)
  version=$(sed -nE 's/^ggml_version=(.*)$/\1/p' "$lock_file" 2>/dev/null || true)
  api=$(sed -nE 's/^ggml_backend_api_version=(.*)$/\1/p' "$lock_file" 2>/dev/null || true)
  cat <<EOF
Usage:
  scripts/build-cuda-module.sh --source DIR --out DIR [--arch "$default_arch"]
                               [--accept-ggml-version V] [--jobs N] [--build-dir DIR]
                               [--bench-tools] [--check-only]
  scripts/build-cuda-module.sh --fix-link FILE

Builds the ggml CUDA backend module that edgellm loads beside LLamaSharp's CPU libraries:
OUT/libggml-cuda.so and OUT/libggml-cuda.so.manifest (source commit, ggml version, architectures,
flags, NEEDED libraries, sha256). The source must be the llama.cpp tree pinned in native/ggml.lock
(llama.cpp ${tag:-?}, ggml ${version:-?}, ggml backend API ${api:-?}); any other is refused.

  --source DIR     llama.cpp source tree; the module is configured from DIR/ggml alone
  --out DIR        where the module, its manifest and (with --bench-tools) bin/ are written
  --arch LIST      CUDA architectures, ';'-separated. Default "$default_arch" (x86-64: A100,
                   A10/RTX 30xx, L4/RTX 40xx, H100/H200). Jetson AGX Orin / Orin NX / Orin Nano: "87"
  --accept-ggml-version V
                   also accept a tree with ggml version V and any commit, provided its backend API
                   version still equals the lock's. This exists for the llama.cpp b10361 tree
                   (ggml 0.19.0) used on the GPU test machine, where the pinned commit cannot be
                   fetched; production images use the pinned commit
  --jobs N         parallel compile jobs (default: every CPU)
  --build-dir DIR  keep the cmake build folders here so a rerun is incremental
                   (default: a temporary folder, removed afterwards)
  --bench-tools    also build llama.cpp's llama-bench and llama-batched-bench from the same tree,
                   with the same CUDA flags, into OUT/bin/ (statically linked against ggml): the
                   peers' ceiling in the GPU benchmark
  --check-only     check the source tree, print the cmake configure command(s), build nothing
  --fix-link FILE  make an existing module need libggml-base.so instead of libggml-base.so.N
                   (LLamaSharp's base, already loaded) and verify it; nothing else

Always on: flash attention kernels (GGML_CUDA_FA=ON) and CUDA graphs (GGML_CUDA_GRAPHS=ON, which
llama.cpp's own build turns on but ggml/ configured alone leaves off), GGML_NATIVE=OFF, Release.

Needs cmake, nvcc (on PATH, \$CUDACXX or /usr/local/cuda/bin), ninja (else make), readelf and
sha256sum; patchelf when the built module still names a versioned libggml-base; git when the
tree is a git checkout. At run time the module needs the libcudart/libcublas of the toolkit that
built it (.12 or .13), libnccl.so.2 when NCCL was found, and the driver's libcuda.so.1 (which is
never copied into an image).

Exit codes: 0 done; 2 usage error; 3 source tree refused (ggml version, backend API version or
commit differs from native/ggml.lock); 4 a needed tool is missing; 5 build or verification failed.
EOF
}

need_tool() {
  command -v "$1" >/dev/null 2>&1 || die 4 "$1 is required${2:+ ($2)} but was not found on PATH"
}

# ---------------------------------------------------------------------------------------------
# The link fix and its verification (used on every build, and alone with --fix-link).

needed_of() {
  local dynamic
  dynamic=$(readelf -dW "$1" 2>/dev/null) || die 5 "$1 is not a readable ELF shared object"
  sed -nE 's/.*\(NEEDED\).*\[(.*)\]$/\1/p' <<<"$dynamic"
}

runpath_of() {
  local dynamic
  dynamic=$(readelf -dW "$1" 2>/dev/null) || die 5 "$1 is not a readable ELF shared object"
  sed -nE 's/.*\((RUNPATH|RPATH)\).*\[(.*)\]$/\2/p' <<<"$dynamic"
}

# A module that asks for libggml-base.so.0 makes the loader pull in a second, different ggml base
# (found through its build RUNPATH or not at all) instead of binding to LLamaSharp's libggml-base.so,
# whose soname is unversioned. Renaming the NEEDED entry is the whole fix.
fix_needed() {
  local file=$1 needed lib
  needed=$(needed_of "$file")
  while IFS= read -r lib; do
    if [[ $lib =~ ^(libggml(-base)?\.so)\.[0-9.]+$ ]]; then
      need_tool patchelf "to make the module need ${BASH_REMATCH[1]} instead of $lib"
      patchelf --replace-needed "$lib" "${BASH_REMATCH[1]}" "$file" || die 5 "patchelf could not rewrite $lib in $file"
      note "renamed NEEDED $lib -> ${BASH_REMATCH[1]}"
    fi
  done <<<"$needed"
}

# $2, when given, is the name used in messages (the file checked may be a temporary copy).
verify_module() {
  local file=$1 needed symbols
  local name=${2:-$1}
  needed=$(needed_of "$file")
  if grep -Eq '^libggml[-a-z]*\.so\.' <<<"$needed"; then
    die 5 "$name still needs a versioned ggml library ($(grep -E '^libggml[-a-z]*\.so\.' <<<"$needed" | tr '\n' ' ')); it must need libggml-base.so"
  fi
  # Without libggml-base.so it carries its own ggml base: two bases in one process.
  grep -qx 'libggml-base.so' <<<"$needed" || die 5 "$name does not need libggml-base.so, so it would not bind to LLamaSharp's ggml base"
  symbols=$(readelf --dyn-syms -W "$file" 2>/dev/null) || die 5 "$name has no readable dynamic symbol table"
  # The entry point ggml_backend_load() looks up: defined (not UND), global, a function.
  if ! awk '$4 == "FUNC" && $5 == "GLOBAL" && $7 != "UND" && $8 ~ /^ggml_backend_init(@|$)/ { found = 1 } END { exit !found }' <<<"$symbols"; then
    die 5 "$name does not export ggml_backend_init, so it is not a ggml backend module"
  fi
  note "verified $name: NEEDED $(tr '\n' ' ' <<<"$needed")and exports ggml_backend_init"
}

# Patches a copy and moves it over the original only once verified, so a failure leaves FILE as it was.
fix_link_in_place() {
  local file=$1
  [[ -f $file ]] || die 2 "--fix-link: $file is not a file"
  need_tool readelf "to read the module's dynamic section"
  fixing="$(dirname "$file")/.$(basename "$file").fixing.$$"
  cp -p "$file" "$fixing"
  trap 'rm -f "$fixing"' EXIT
  fix_needed "$fixing"
  verify_module "$fixing" "$file"
  mv -f "$fixing" "$file"
  trap - EXIT
}

# ---------------------------------------------------------------------------------------------
# Arguments.

source_dir="" out_dir="" arch="$default_arch" accept="" jobs="" build_dir="" fix_file=""
bench_tools=0 check_only=0 build_options=0
[[ $# -gt 0 ]] || { usage >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --bench-tools) bench_tools=1; build_options=1; shift ;;
    --check-only) check_only=1; build_options=1; shift ;;
    --source | --out | --arch | --accept-ggml-version | --jobs | --build-dir | --fix-link)
      [[ $# -ge 2 && -n $2 ]] || die 2 "$1 needs a value (see --help)"
      case $1 in
        --source) source_dir=$2 ;;
        --out) out_dir=$2 ;;
        --arch) arch=$2 ;;
        --accept-ggml-version) accept=$2 ;;
        --jobs) jobs=$2 ;;
        --build-dir) build_dir=$2 ;;
        --fix-link) fix_file=$2 ;;
      esac
      [[ $1 == --fix-link ]] || build_options=1
      shift 2
      ;;
    *) die 2 "unknown argument '$1' (see --help)" ;;
  esac
done

if [[ -n $fix_file ]]; then
  [[ $build_options -eq 0 ]] || die 2 "--fix-link takes no other options"
  fix_link_in_place "$fix_file"
  exit 0
fi

[[ -n $source_dir ]] || die 2 "--source DIR is required (see --help)"
[[ -n $out_dir ]] || die 2 "--out DIR is required (see --help)"
[[ -d $source_dir ]] || die 2 "--source $source_dir is not a directory"
# Plain numbers build SASS and PTX; -real/-virtual and the a/f suffixes are passed through to CMake.
[[ $arch =~ ^[0-9]+[af]?(-real|-virtual)?(\;[0-9]+[af]?(-real|-virtual)?)*$ ]] \
  || die 2 "--arch '$arch' is not a ';'-separated list of CUDA architectures such as \"$default_arch\" or \"87\""
[[ -z $accept || $accept =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die 2 "--accept-ggml-version '$accept' is not a version such as 0.19.0"
[[ -z $jobs || $jobs =~ ^[1-9][0-9]*$ ]] || die 2 "--jobs '$jobs' is not a positive number"
source_dir=$(cd "$source_dir" && pwd)

# ---------------------------------------------------------------------------------------------
# Source tree checks: the module must come from the ggml that LLamaSharp's natives were built from.

lock_tag=$(lock_value llama_cpp_tag)
lock_commit=$(lock_value llama_cpp_commit)
lock_version=$(lock_value ggml_version)
lock_api=$(lock_value ggml_backend_api_version)

ggml_cmake="$source_dir/ggml/CMakeLists.txt"
backend_impl="$source_dir/ggml/src/ggml-backend-impl.h"
[[ -f $ggml_cmake ]] || die 3 "$source_dir is not a llama.cpp source tree: ggml/CMakeLists.txt is missing"
[[ -f $backend_impl ]] || die 3 "$source_dir is not a llama.cpp source tree: ggml/src/ggml-backend-impl.h is missing"

# ggml/CMakeLists.txt spells its version as set(GGML_VERSION_MAJOR 0), ..._MINOR, ..._PATCH.
cmake_number() {
  sed -nE "/^[[:space:]]*set[[:space:]]*\([[:space:]]*$1[[:space:]]/{s/^[[:space:]]*set[[:space:]]*\([[:space:]]*$1[[:space:]]+\"?([0-9]+)\"?[[:space:]]*\).*/\1/p;q}" "$ggml_cmake"
}
major=$(cmake_number GGML_VERSION_MAJOR)
minor=$(cmake_number GGML_VERSION_MINOR)
patch=$(cmake_number GGML_VERSION_PATCH)
[[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ && $patch =~ ^[0-9]+$ ]] \
  || die 3 "cannot read the ggml version from $ggml_cmake (expected set(GGML_VERSION_MAJOR n), _MINOR, _PATCH)"
found_version="$major.$minor.$patch"
found_api=$(sed -nE '/^[[:space:]]*#[[:space:]]*define[[:space:]]+GGML_BACKEND_API_VERSION[[:space:]]/{s/.*GGML_BACKEND_API_VERSION[[:space:]]+([0-9]+).*/\1/p;q}' "$backend_impl")
[[ $found_api =~ ^[0-9]+$ ]] || die 3 "cannot read GGML_BACKEND_API_VERSION from $backend_impl"

if [[ $found_version != "$lock_version" ]]; then
  if [[ -z $accept ]]; then
    die 3 "ggml version mismatch: expected $lock_version (native/ggml.lock), found $found_version in $source_dir"
  elif [[ $found_version != "$accept" ]]; then
    die 3 "ggml version mismatch: expected $lock_version (native/ggml.lock) or $accept (--accept-ggml-version), found $found_version in $source_dir"
  fi
fi
# The backend interface is what the module and LLamaSharp's libggml.so exchange; no flag overrides it.
[[ $found_api == "$lock_api" ]] \
  || die 3 "ggml backend API version mismatch: expected $lock_api (native/ggml.lock), found $found_api in $source_dir"

source_commit=unknown
if [[ -e $source_dir/.git ]]; then
  need_tool git "to read the commit of the git checkout $source_dir"
  # safe.directory: a root build of a tree cloned by another user must still be able to read HEAD.
  source_commit=$(git -c safe.directory="$source_dir" -C "$source_dir" rev-parse --verify -q HEAD) \
    || die 3 "$source_dir is a git checkout but its commit cannot be read"
  if [[ $source_commit != "$lock_commit" ]]; then
    [[ -n $accept ]] || die 3 "source commit mismatch: expected $lock_commit ($lock_tag, native/ggml.lock), found $source_commit in $source_dir"
    note "building from commit $source_commit, not the pinned $lock_commit ($lock_tag), as --accept-ggml-version allows"
  fi
else
  note "$source_dir is not a git checkout, so only its ggml version and backend API version were checked"
fi
note "source $source_dir: commit $source_commit, ggml $found_version, backend API $found_api"

# ---------------------------------------------------------------------------------------------
# The cmake commands. The module and the bench tools share every CUDA flag, so a comparison
# between them measures the runtime around ggml, not two different builds of it.

nvcc=${CUDACXX:-}
if [[ -z $nvcc ]]; then
  nvcc=$(command -v nvcc 2>/dev/null || true)
fi
if [[ -z $nvcc && -x /usr/local/cuda/bin/nvcc ]]; then
  nvcc=/usr/local/cuda/bin/nvcc
fi
if command -v ninja >/dev/null 2>&1; then
  generator=(-G Ninja)
else
  generator=(-G "Unix Makefiles")
fi

work=${build_dir:-"<temporary build folder>"}
cuda_flags=(
  -DCMAKE_BUILD_TYPE=Release
  -DGGML_CUDA=ON
  -DGGML_NATIVE=OFF
  "-DCMAKE_CUDA_ARCHITECTURES=$arch"
  -DGGML_CUDA_FA=ON
  -DGGML_CUDA_GRAPHS=ON
)
[[ -z $nvcc ]] || cuda_flags+=("-DCMAKE_CUDA_COMPILER=$nvcc")
module_flags=(
  "${cuda_flags[@]}"
  -DGGML_BACKEND_DL=ON
  -DBUILD_SHARED_LIBS=ON
  -DGGML_BUILD_TESTS=OFF
  -DGGML_BUILD_EXAMPLES=OFF
  # An unversioned ggml-base soname makes the module need libggml-base.so, LLamaSharp's name.
  -DCMAKE_PLATFORM_NO_VERSIONED_SONAME=ON
  # Keep the build folder out of the module's RUNPATH (a stale, possibly writable path) while
  # keeping the CUDA toolkit's library folder.
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON
  -DCMAKE_INSTALL_RPATH_USE_LINK_PATH=ON
)
bench_flags=(
  "${cuda_flags[@]}"
  -DGGML_BACKEND_DL=OFF
  # Static ggml and llama: the tools copied into OUT/bin/ then need nothing from the build folder.
  -DBUILD_SHARED_LIBS=OFF
  -DLLAMA_CURL=OFF
  -DLLAMA_BUILD_TOOLS=ON
  -DLLAMA_BUILD_SERVER=OFF
  -DLLAMA_BUILD_TESTS=OFF
  -DLLAMA_BUILD_EXAMPLES=OFF
)
module_configure=(cmake -S "$source_dir/ggml" -B "$work/module" "${generator[@]}" "${module_flags[@]}")
bench_configure=(cmake -S "$source_dir" -B "$work/bench" "${generator[@]}" "${bench_flags[@]}")

# Quotes only what needs it, so the printed command reads like the one a person would type.
print_command() {
  local arg line=""
  for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_./=:+,-]+$ ]]; then
      line+="$arg "
    else
      line+="'${arg//\'/\'\\\'\'}' "
    fi
  done
  echo "  ${line% }"
}

if [[ $check_only -eq 1 ]]; then
  echo "source tree accepted: commit $source_commit, ggml $found_version, backend API $found_api"
  echo "module configure command:"
  print_command "${module_configure[@]}"
  echo "  cmake --build $work/module --target ggml-cuda"
  if [[ $bench_tools -eq 1 ]]; then
    echo "bench tools configure command:"
    print_command "${bench_configure[@]}"
    echo "  cmake --build $work/bench --target llama-bench llama-batched-bench"
  fi
  [[ -n $nvcc ]] || note "nvcc was not found; a real build would stop with exit code 4"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# The build.

need_tool cmake "to configure and build"
[[ -n $nvcc ]] || die 4 "nvcc is required (the CUDA toolkit's compiler) but was not found on PATH, in \$CUDACXX or in /usr/local/cuda/bin"
[[ -x $nvcc ]] || die 4 "nvcc is required but $nvcc is not executable"
if [[ ${generator[1]} == Ninja ]]; then need_tool ninja "to build"; else need_tool make "to build (ninja was not found)"; fi
need_tool readelf "to verify the module's links"
need_tool sha256sum "for the manifest"
jobs=${jobs:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 4)}

mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
created_pc_in=""
temp_work=""
if [[ -z $build_dir ]]; then
  temp_work=$(mktemp -d "${TMPDIR:-/tmp}/edgellm-cuda-build.XXXXXX")
  work=$temp_work
else
  mkdir -p "$build_dir"
  work=$(cd "$build_dir" && pwd)
fi
module_configure=(cmake -S "$source_dir/ggml" -B "$work/module" "${generator[@]}" "${module_flags[@]}")
bench_configure=(cmake -S "$source_dir" -B "$work/bench" "${generator[@]}" "${bench_flags[@]}")
partial="$out_dir/.partial.$$"
cleanup() {
  rm -rf "$partial"
  [[ -z $temp_work ]] || rm -rf "$temp_work"
  [[ -z $created_pc_in ]] || rm -f "$created_pc_in"
}
trap cleanup EXIT
# An interrupted build also goes through cleanup, so it leaves no partial files either.
trap 'exit 130' INT TERM
mkdir -p "$partial"

# Configured alone, ggml is a standalone project and wants ggml/ggml.pc.in, which llama.cpp's copy
# of ggml lacks. An empty one is enough (the .pc file is never installed) and is removed afterwards.
if [[ ! -e $source_dir/ggml/ggml.pc.in ]]; then
  created_pc_in="$source_dir/ggml/ggml.pc.in"
  : >"$created_pc_in"
fi

print_command "${module_configure[@]}" >&2
"${module_configure[@]}" || die 5 "cmake could not configure the module (see above)"
cmake --build "$work/module" --target ggml-cuda --parallel "$jobs" || die 5 "the module build failed (see above)"
built=$(find "$work/module" -name libggml-cuda.so -type f -print -quit)
[[ -n $built ]] || die 5 "the build finished but produced no libggml-cuda.so under $work/module"

module="$partial/libggml-cuda.so"
cp "$built" "$module"
fix_needed "$module"
verify_module "$module" libggml-cuda.so
runpath=$(runpath_of "$module")
case $runpath in
  *"$work"*) die 5 "the module's RUNPATH ($runpath) names the build folder $work" ;;
esac

if [[ $bench_tools -eq 1 ]]; then
  print_command "${bench_configure[@]}" >&2
  "${bench_configure[@]}" || die 5 "cmake could not configure the bench tools (see above)"
  cmake --build "$work/bench" --target llama-bench llama-batched-bench --parallel "$jobs" \
    || die 5 "the bench tools build failed (see above)"
  mkdir -p "$partial/bin"
  for tool in llama-bench llama-batched-bench; do
    found=$(find "$work/bench" -name "$tool" -type f -perm -u+x -print -quit)
    [[ -n $found ]] || die 5 "the build finished but produced no $tool under $work/bench"
    cp "$found" "$partial/bin/$tool"
    # Built static, a tool that still asks for a llama or ggml library would load one from anywhere.
    tool_needed=$(needed_of "$partial/bin/$tool")
    if grep -Eq '^lib(llama|ggml)' <<<"$tool_needed"; then
      die 5 "$tool needs a shared llama/ggml library; it must be linked statically"
    fi
  done
fi

nvcc_release=$("$nvcc" --version | sed -nE 's/.*release ([0-9.]+).*/\1/p')
{
  echo "# Written by scripts/build-cuda-module.sh; describes libggml-cuda.so in this folder."
  echo "module=libggml-cuda.so"
  echo "sha256=$(sha256sum "$module" | cut -d' ' -f1)"
  echo "source_commit=$source_commit"
  echo "ggml_version=$found_version"
  echo "ggml_backend_api_version=$found_api"
  echo "pinned_commit=$lock_commit"
  echo "cuda_architectures=$arch"
  echo "nvcc_release=${nvcc_release:-unknown}"
  echo "cmake_flags=${module_flags[*]}"
  echo "needed=$(needed_of "$module" | tr '\n' ' ' | sed 's/ $//')"
  echo "runpath=$runpath"
  [[ $bench_tools -eq 0 ]] || echo "bench_tools=bin/llama-bench bin/llama-batched-bench"
  [[ $bench_tools -eq 0 ]] || echo "bench_cmake_flags=${bench_flags[*]}"
  echo "built_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$partial/libggml-cuda.so.manifest"

# Everything is built and verified; only now does anything replace what OUT held.
if [[ $bench_tools -eq 1 ]]; then
  mkdir -p "$out_dir/bin"
  mv -f "$partial/bin/llama-bench" "$partial/bin/llama-batched-bench" "$out_dir/bin/"
fi
mv -f "$module" "$out_dir/libggml-cuda.so"
mv -f "$partial/libggml-cuda.so.manifest" "$out_dir/libggml-cuda.so.manifest"
echo "$out_dir/libggml-cuda.so"
