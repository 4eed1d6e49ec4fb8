# shellcheck shell=bash
# Sourced by scripts/build-natives.sh: obtains the pinned llama.cpp source (native/natives.lock) and prepares it
# (trimmed, patched) in .natives/src/, once. Expects root, natives_dir, die, note and lock_value from the caller.
: "${root:?}" "${natives_dir:?}"

# Upstream folders that no configure or build of ggml, libllama, libmtmd and the bench tools reads (scripts/ is
# read: the server's build runs scripts/ui-assets.cmake).
unused_source=(
  models docs media gguf-py conversion benches .github app pocs
  ggml/src/ggml-vulkan ggml/src/ggml-opencl ggml/src/ggml-sycl ggml/src/ggml-hexagon ggml/src/ggml-et
  ggml/src/ggml-metal ggml/src/ggml-webgpu ggml/src/ggml-openvino ggml/src/ggml-cann ggml/src/ggml-zdnn
  ggml/src/ggml-zendnn ggml/src/ggml-virtgpu ggml/src/ggml-musa
)

# The npm package's tarball: a copy beside the shared test models, an earlier download, or npm (checked by sha256).
source_package() {
  local file sha expected candidate
  file=$(lock_value source_package_file)
  expected=$(lock_value source_package_sha256)
  mkdir -p "$natives_dir/download"
  for candidate in "$root/../shared/natives/$file" "$natives_dir/download/$file"; do
    if [[ -f $candidate ]]; then
      sha=$(sha256sum "$candidate" | cut -d' ' -f1)
      [[ $sha == "$expected" ]] && { echo "$candidate"; return; }
      note "ignoring $candidate: sha256 $sha, expected $expected"
    fi
  done
  command -v npm >/dev/null 2>&1 || die 4 "npm is needed to fetch $(lock_value source_package) (or put $file in ../shared/natives/)"
  note "fetching $(lock_value source_package) with npm"
  (cd "$natives_dir/download" && npm pack --silent "$(lock_value source_package)" >/dev/null) \
    || die 4 "npm could not fetch $(lock_value source_package)"
  sha=$(sha256sum "$natives_dir/download/$file" | cut -d' ' -f1)
  if [[ $sha != "$expected" ]]; then
    rm -f "$natives_dir/download/$file"
    die 3 "$file has sha256 $sha, native/natives.lock pins $expected"
  fi
  echo "$natives_dir/download/$file"
}

# What the prepared tree was made from; a tree with another stamp is made again.
source_stamp() {
  local patch
  echo "package=$(lock_value source_package_sha256)"
  for patch in $(lock_value patches); do
    echo "patch=$patch $(sha256sum "$root/native/patches/$patch.patch" | cut -d' ' -f1)"
  done
  echo "trimmed=${unused_source[*]}"
}

# Prints the prepared source folder, making it first when its stamp differs.
prepare_source() {
  local tree="$natives_dir/src/llama.cpp" stamp_file="$natives_dir/src/llama.cpp.stamp"
  local stamp tarball work commit patch
  stamp=$(source_stamp)
  if [[ -d $tree && -f $stamp_file && $(cat "$stamp_file") == "$stamp" ]]; then
    echo "$tree"
    return
  fi
  tarball=$(source_package) || exit
  command -v git >/dev/null 2>&1 || die 4 "git is needed to read the package's git bundle"
  work=$(mktemp -d "$natives_dir/src.XXXXXX")
  # This runs in a command substitution's subshell: its own EXIT trap removes the work folder on every refusal.
  trap 'rm -rf "$work"' EXIT
  tar -xzf "$tarball" -C "$work" package/llama/gitRelease.bundle || die 3 "$tarball holds no package/llama/gitRelease.bundle"
  git -c advice.detachedHead=false clone --quiet "$work/package/llama/gitRelease.bundle" "$work/llama.cpp" \
    || die 3 "the git bundle in $tarball could not be cloned"
  commit=$(git -C "$work/llama.cpp" rev-parse HEAD)
  [[ $commit == "$(lock_value llama_cpp_commit)" ]] \
    || die 3 "the bundle holds commit $commit, native/natives.lock pins $(lock_value llama_cpp_commit)"
  (cd "$work/llama.cpp" && rm -rf .git "${unused_source[@]}")
  # The server's web UI is not built (LLAMA_BUILD_UI=OFF), but its CMakeLists.txt is still read.
  find "$work/llama.cpp/tools/ui" -mindepth 1 -maxdepth 1 ! -name CMakeLists.txt ! -name embed.cpp -exec rm -rf {} +
  for patch in $(lock_value patches); do
    patch --quiet -p1 -d "$work/llama.cpp" <"$root/native/patches/$patch.patch" || die 3 "native/patches/$patch.patch does not apply"
  done
  rm -rf "$tree" "$stamp_file"
  mkdir -p "$natives_dir/src"
  mv "$work/llama.cpp" "$tree"
  rm -rf "$work"
  echo "$stamp" >"$stamp_file"
  note "prepared $tree: llama.cpp $(lock_value llama_cpp_tag), patches: $(lock_value patches)"
  echo "$tree"
}
