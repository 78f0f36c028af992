#!/usr/bin/env bash
# Adds the EF Core migration NAME to every service's database, once for SQLite and once for PostgreSQL.
#   scripts/add-migration.sh NAME [CONTEXT...]     (e.g. CONTEXT = CasesDbContext; default: every context)
# Every context with a design-time factory (services/**/*DbContextFactory.cs) gets
#   <its folder>/Migrations/Sqlite/<timestamp>_NAME.cs and <its folder>/Migrations/Postgres/<timestamp>_NAME.cs
# (and the engine's snapshot <Context><Engine>ModelSnapshot.cs beside them updated),
# unless its model did not change (an empty migration is not kept). Safe to run again after a failure: a context
# that already has a migration called NAME is left alone. One build, then dotnet ef per context (both engines side
# by side) without building: a few minutes for every context.
set -euo pipefail

name=${1:?usage: scripts/add-migration.sh NAME [CONTEXT...] (NAME: letters and digits, e.g. AddLicenceRemarks)}
shift
only=" $* "
if ! [[ "$name" =~ ^[A-Za-z][A-Za-z0-9]*$ ]]; then
  echo "add-migration: the name must be letters and digits, starting with a letter: $name" >&2; exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=Release
providers=(Sqlite Postgres)

dotnet tool restore >/dev/null

# context factory file -> its project, namespace and context type
mapfile -t all < <(grep -rl --include='*DbContextFactory.cs' 'IDesignTimeDbContextFactory<' services gateway 2>/dev/null | sort)
factories=()
for factory in "${all[@]}"; do
  context=$(sed -n 's/.*IDesignTimeDbContextFactory<\([A-Za-z0-9_]*\)>.*/\1/p' "$factory" | head -n 1)
  if [ "$only" = "  " ] || [[ "$only" == *" $context "* ]]; then factories+=("$factory"); fi
done
if [ "${#factories[@]}" -eq 0 ]; then echo "add-migration: no design-time context factories found" >&2; exit 1; fi

project_of() {
  local dir; dir=$(dirname "$1")
  while [ "$dir" != . ] && [ "$dir" != / ]; do
    local found; found=$(ls "$dir"/*.csproj 2>/dev/null | head -n 1 || true)
    if [ -n "$found" ]; then echo "$found"; return; fi
    dir=$(dirname "$dir")
  done
  echo "add-migration: no project above $1" >&2; exit 1
}

declare -A built=()
for factory in "${factories[@]}"; do
  project=$(project_of "$factory")
  [ -n "${built[$project]:-}" ] && continue
  echo "== build $(basename "$project" .csproj)"
  dotnet build "$project" -c "$configuration" --nologo -v quiet >/dev/null || { dotnet build "$project" -c "$configuration" --nologo -v quiet | tail -n 30; exit 1; }
  built[$project]=1
done

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# One context and engine: dotnet ef, then the snapshot's name and place, then drop an empty migration.
add_one() {
  local factory=$1 provider=$2 project project_dir namespace context relative output log snapshot fresh migration
  project=$(project_of "$factory")
  project_dir=$(dirname "$project")
  namespace=$(sed -n 's/^namespace \([A-Za-z0-9_.]*\);.*/\1/p' "$factory" | head -n 1)
  context=$(sed -n 's/.*IDesignTimeDbContextFactory<\([A-Za-z0-9_]*\)>.*/\1/p' "$factory" | head -n 1)
  relative=$(dirname "${factory#"$project_dir"/}")
  output="$relative/Migrations/$provider"
  if compgen -G "$project_dir/$output/*_${name}.cs" >/dev/null; then
    echo "   $context ($provider): $name is already there"; echo present > "$results/$context.$provider"; return 0
  fi
  log="$results/$context.$provider.log"
  if ! dotnet ef migrations add "$name" --project "$project" --startup-project "$project" --context "$context" \
      --output-dir "$output" --namespace "$namespace.Migrations.$provider" \
      --configuration "$configuration" --no-build -- --provider "$provider" >"$log" 2>&1; then
    echo "add-migration: dotnet ef failed for $context ($provider):" >&2; cat "$log" >&2; echo failed > "$results/$context.$provider"; return 1
  fi
  # Each engine's snapshot has its own class and file (<Context><Engine>ModelSnapshot), so that dotnet ef, which
  # finds a snapshot's file by name, rewrites the right one. A context's first migration gets EF's default name:
  # move and rename it.
  snapshot="$project_dir/$output/${context}${provider}ModelSnapshot.cs"
  fresh=$(find "$project_dir" -name "${context}ModelSnapshot.cs" -not -path '*/obj/*' | head -n 1)
  if [ -n "$fresh" ]; then
    sed "s/partial class ${context}ModelSnapshot /partial class ${context}${provider}ModelSnapshot /" "$fresh" > "$snapshot"
    rm -f "$fresh"
    rmdir -p --ignore-fail-on-non-empty "$(dirname "$fresh")" 2>/dev/null || true
  fi
  migration=$(ls "$project_dir/$output/"*_"${name}".cs | head -n 1)
  # A model without changes gives a migration whose Up and Down do nothing: drop it (the snapshot is unchanged).
  if ! grep -q 'migrationBuilder\.' "$migration"; then
    rm -f "$migration" "${migration%.cs}.Designer.cs"
    echo "   $context ($provider): no model changes"; echo unchanged > "$results/$context.$provider"
  else
    echo "   $context ($provider): added $(basename "$migration")"; echo added > "$results/$context.$provider"
  fi
}

# The engines of one context run side by side: they write different folders and snapshot files.
for factory in "${factories[@]}"; do
  pids=()
  for provider in "${providers[@]}"; do
    add_one "$factory" "$provider" & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || { echo "add-migration: stopped; run it again to finish (what was added is kept)" >&2; exit 1; }; done
done

count() { grep -lx "$1" "$results"/*.* 2>/dev/null | grep -vc '\.log$' || true; }
echo "add-migration: $(count added) added, $(count unchanged) without changes, $(count present) already present"
