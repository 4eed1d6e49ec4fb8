#!/usr/bin/env bash
# Regenerates docs/console-overview.png, the README's picture of the web console. The browser test
# that checks the overview's screenshot (Debian's chromium through Playwright, against the real
# daemon serving stories260K) also writes it to the path in EDGELLM_CONSOLE_SCREENSHOT.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target="$root/docs/console-overview.png"
dotnet build tests/EdgeLlm.EndToEnd.Tests -c Release
EDGELLM_CONSOLE_SCREENSHOT="$target" dotnet test tests/EdgeLlm.EndToEnd.Tests -c Release --no-build \
  --filter "FullyQualifiedName~EdgeLlm.EndToEnd.Tests.Console.ConsoleOverviewScreenshotTests"
echo "$target"
