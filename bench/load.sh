#!/usr/bin/env bash
# The end-to-end load driver: builds the platform and the driver in Release, then runs the embedded host and the
# distributed mode one after the other with the same workload and prints the report (also written to the work folder).
#   bench/load.sh [applications] [enterprises] [caseworkers] [modes] [work folder]
#   bench/load.sh 300 16 4 embedded,distributed
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dotnet build deploy/Songjiang.LocalHost -c Release -warnaserror -nologo -v quiet
dotnet build bench/Songjiang.LoadDriver -c Release -warnaserror -nologo -v quiet
exec dotnet artifacts/bin/Songjiang.LoadDriver/release/Songjiang.LoadDriver.dll "$@"
