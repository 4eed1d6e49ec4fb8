#!/usr/bin/env bash
# Prepares what scripts/gpu-proof.sh needs on a bare GPU machine (no .NET, no network), as a few xz
# archives in the ignored .gpu-proof/carry/ (carry that folder; nothing here is committed):
#   edgellm-linux-x64.tar.xz  the daemon and the benchmark, self-contained publishes for linux-x64
#   llama.cpp-b10361.tar.xz   llama.cpp b10361 from node-llama-cpp@3.20.0's git bundle, trimmed to what
#                             building ggml, llama-bench and llama-batched-bench needs
#   models.tar.xz             stories260K and the tokenizer source of the synthetic 1.1B model
# The 1.1B model itself is generated on the GPU machine by the benchmark, never carried.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.gpu-proof"
carry="$out/carry"
work="$out/work"
node_llama_cpp=node-llama-cpp@3.20.0
llama_cpp_release=b10361
mkdir -p "$carry" "$work"

# Upstream folders that no configure or build of those targets reads: data, docs, Python, other backends.
unused_source=(
  models docs media gguf-py conversion benches scripts .github tools/ui
  ggml/src/ggml-vulkan ggml/src/ggml-opencl ggml/src/ggml-sycl ggml/src/ggml-hexagon ggml/src/ggml-et
  ggml/src/ggml-metal ggml/src/ggml-webgpu ggml/src/ggml-openvino ggml/src/ggml-cann ggml/src/ggml-zdnn
  ggml/src/ggml-zendnn ggml/src/ggml-virtgpu
)

pack_llama_cpp() {
  local tarball="$work/node-llama-cpp-3.20.0.tgz" tree="$work/llama.cpp"
  [ -f "$tarball" ] || (cd "$work" && npm pack --silent "$node_llama_cpp" >/dev/null)
  rm -rf "$tree" "$work/package"
  tar -xzf "$tarball" -C "$work" package/llama/gitRelease.bundle package/llama/binariesGithubRelease.json
  grep -q "\"$llama_cpp_release\"" "$work/package/llama/binariesGithubRelease.json" \
    || { echo "pack-gpu-proof: $node_llama_cpp does not carry llama.cpp $llama_cpp_release" >&2; exit 1; }
  git -c advice.detachedHead=false clone --quiet "$work/package/llama/gitRelease.bundle" "$tree"
  (cd "$tree" && rm -rf .git "${unused_source[@]}")
  tar -C "$work" -cf - llama.cpp | xz -T0 -9 > "$carry/llama.cpp-$llama_cpp_release.tar.xz"
  rm -rf "$work/package"
}

pack_models() {
  "$root/scripts/fetch-models.sh" >/dev/null
  tar -C "$root/.models" -cf - stories260K.gguf llama-2-tiny-random.gguf | xz -T0 -9 > "$carry/models.tar.xz"
}

pack_edgellm() {
  local publish="$work/publish"
  rm -rf "$publish"
  dotnet publish "$root/src/EdgeLlm.Daemon" -c Release -r linux-x64 --self-contained -p:PublishTrimmed=false \
    -o "$publish/daemon" -nologo -v quiet
  dotnet publish "$root/tests/EdgeLlm.Benchmarks" -c Release -r linux-x64 --self-contained -p:PublishTrimmed=false \
    -o "$publish/bench" -nologo -v quiet
  # LLamaSharp's packages bring natives for every platform; the GPU machine is linux-x64 with glibc.
  find "$publish"/*/runtimes -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
  # The two publishes share the runtime and LLamaSharp's natives: hard links make tar store them once.
  (cd "$publish/bench" && find . -type f -print0) | while IFS= read -r -d '' file; do
    if [ -f "$publish/daemon/$file" ] && cmp -s "$publish/bench/$file" "$publish/daemon/$file"; then
      ln -f "$publish/daemon/$file" "$publish/bench/$file"
    fi
  done
  tar -C "$publish" -cf - daemon bench | xz -T0 -9 > "$carry/edgellm-linux-x64.tar.xz"
}

pack_llama_cpp
pack_models
pack_edgellm
ls -l "$carry"
echo "pack-gpu-proof: $(du -cb "$carry"/*.tar.xz | awk 'END { printf "%.1f MiB", $1 / 1048576 }') in $carry"
