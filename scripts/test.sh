#!/usr/bin/env bash
# The one test command: builds the solution (warnings are errors), starts PostgreSQL and RabbitMQ on loopback in a
# temporary folder (installing the Debian packages when absent), runs every test project, stops what it started,
# and ends with "tests: N passed, N failed, N skipped".
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
state=$(mktemp -d "${TMPDIR:-/tmp}/songjiang-test.XXXXXX")
chmod 755 "$state"
results="$state/results"
mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cleanup() {
  "$root/scripts/test-services.sh" stop "$state" || true
  rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== build"
if ! dotnet build Songjiang.Platform.sln -c Release --nologo -v quiet; then
  echo "build failed"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "== browser for the portal's tests"
# The portal's browser tests drive Debian's chromium; nothing downloads a browser at run time.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing chromium"
    (apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
      || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/dev/null; }) \
      || echo "could not install chromium: the portal's browser tests will fail"
  else
    echo "chromium is missing and this is not root: install the Debian package 'chromium' first"
  fi
fi
# A Chinese font, so that the screenshots the portal's tests keep are readable.
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ] && [ "$(id -u)" -eq 0 ]; then
  apt-get install -y --no-install-recommends fonts-wqy-microhei >/dev/null 2>&1 || true
fi
# Screenshots and other artefacts the tests keep, outside the temporary folder (git ignores TestResults/).
export SONGJIANG_TEST_RESULTS="$root/TestResults"

echo "== install the OpenAPI linter (pinned in tools/openapi-lint)"
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
if ! npm ci --prefix tools/openapi-lint --no-audit --no-fund --silent; then
  echo "could not install the OpenAPI linter"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "== start PostgreSQL and RabbitMQ"
if ! "$root/scripts/test-services.sh" start "$state"; then
  echo "could not start the test servers"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi
# shellcheck disable=SC1091
. "$state/env"

passed=0; failed=0; skipped=0; crashed=0
for project in $(dotnet sln Songjiang.Platform.sln list | grep -E '^tests/.*\.Tests\.csproj$'); do
  name=$(basename "$project" .csproj)
  echo "== $name"
  # Thirty minutes a project: the distributed platform's tests start eleven processes once, minutes on two busy cores.
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1800000
  rc=$?
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "$name produced no results"
    crashed=$((crashed + 1))
    continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(count passed); f=$(count failed); e=$(count error); t=$(count timeout); n=$(count notExecuted)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0})); skipped=$((skipped + ${n:-0}))
  if [ "$rc" -ne 0 ] && [ $((${f:-0} + ${e:-0} + ${t:-0})) -eq 0 ]; then
    echo "$name exited with $rc without a failed test: counted as one failure"
    crashed=$((crashed + 1))
  fi
done

failed=$((failed + crashed))
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
