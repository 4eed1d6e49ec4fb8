#!/usr/bin/env bash
# The H100 proof in one go, on a bare x86-64 GPU machine with the CUDA toolkit, cmake and ninja but no .NET
# and no network, from the repo root with .gpu-proof/carry/ made by scripts/pack-gpu-proof.sh. It builds the
# CUDA module and llama.cpp's bench tools from the carried b10361 source, shows the GPU and what the daemon
# sees (edgellm doctor), checks greedy stories260K CPU = GPU through the daemon, and runs the GPU benchmark
# on the synthetic 1.1B Q8_0 model. Every stage has a time limit inside an overall budget (GPU_PROOF_SECONDS,
# default 540); everything is appended to $OUT/gpu-proof.log as it happens, so a cut-off run still tells
# how far it got.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
carry="$root/.gpu-proof/carry"
run="$root/.gpu-proof/run"
out="${OUT:-$root/.gpu-proof/out}"
deadline=$((SECONDS + ${GPU_PROOF_SECONDS:-540}))
mkdir -p "$out" "$run" "$root/.models"
exec > >(tee -a "$out/gpu-proof.log") 2>&1

cuda_home=${CUDA_HOME:-/usr/local/cuda}
export PATH="$cuda_home/bin:$PATH"
export LD_LIBRARY_PATH="$cuda_home/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
module="$run/cuda/libggml-cuda.so"
bench=("$run/bench/EdgeLlm.Benchmarks" gpu --module "$module")

# stage NAME LIMIT_SECONDS COMMAND...: runs COMMAND (a program or an exported function) under timeout, within
# what is left of the budget.
stage() {
  local name=$1 limit=$2 started=$SECONDS status
  shift 2
  local left=$((deadline - SECONDS))
  if ((left < 10)); then
    echo "== $name: skipped, the time budget is spent"
    return 124
  fi
  ((limit > left)) && limit=$left
  echo "== $name (limit ${limit} s, $(date -u +%H:%M:%S) UTC)"
  timeout --kill-after=10 "$limit" bash -c '"$@"' "$name" "$@"
  status=$?
  echo "== $name: exit $status after $((SECONDS - started)) s"
  return "$status"
}

unpack() {
  tar -xJf "$carry/edgellm-linux-x64.tar.xz" -C "$run" &&
    tar -xJf "$carry/llama.cpp-b10361.tar.xz" -C "$run" &&
    tar -xJf "$carry/models.tar.xz" -C "$root/.models"
}

show_gpu() {
  nvidia-smi --query-gpu=name,driver_version,memory.used,memory.total,compute_cap --format=csv
  nvcc --version | tail -n 2
  nproc
}

show_module_libraries() {
  ls -l "$module" "$run/cuda/bin"
  # libggml-base.so shows as not found: the module binds to LLamaSharp's, already loaded in the process.
  ldd "$module" | grep -E 'ggml|cuda|cublas|nccl|not found'
}

export root carry run module
export -f unpack show_gpu show_module_libraries

stage unpack 120 unpack || exit 1
stage gpu 30 show_gpu
stage build-cuda-module 420 env CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" "$root/scripts/build-cuda-module.sh" \
  --source "$run/llama.cpp" --out "$run/cuda" --arch 90 --accept-ggml-version 0.19.0 --bench-tools || exit 1
stage module-libraries 20 show_module_libraries
stage doctor 60 "$run/daemon/edgellm" doctor --Inference:BackendModules:0 "$module"
stage check-greedy 120 "${bench[@]}" --check-greedy
greedy=$?
stage benchmark 300 "${bench[@]}" --model 1b --llama-bench "$run/cuda/bin/llama-bench" --batched-bench "$run/cuda/bin/llama-batched-bench"
benchmark=$?
echo "== done after $SECONDS s: greedy check exit $greedy, benchmark exit $benchmark"
((greedy == 0 && benchmark == 0))
