#!/usr/bin/env bash
# Benchmarks the daemon against the leanest LLamaSharp loop on the same machine, in one run:
# fetches the test models, builds Release (the benchmark and the edgellm daemon it starts), and runs
# tests/EdgeLlm.Benchmarks. The synthetic 1.1B model is written to .models/synthetic/ on first use.
# Options go to the benchmark, e.g. --model stories|1b|all, --tokens N; see --help.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/fetch-models.sh" > /dev/null
dotnet build "$root/tests/EdgeLlm.Benchmarks" -c Release -nologo -v quiet -clp:NoSummary
exec dotnet "$root/tests/EdgeLlm.Benchmarks/bin/Release/net10.0/EdgeLlm.Benchmarks.dll" "$@"
