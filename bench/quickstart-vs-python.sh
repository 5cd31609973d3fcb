#!/usr/bin/env bash
# The README's quick start as a new user runs it, against the book's steps/step43.py, back to back on one machine:
# packs DeZero, makes a console app that references the package (runtime defaults, no settings of its own), pastes
# the quick start into Program.cs, builds it once, then times `dotnet app.dll` and `python3 steps/step43.py` as whole
# processes, alternately, and prints each side's median of N (default 5) wall times.
#
# Needs: a Release build of the repository (`dotnet build DeZero.sln -c Release`), /usr/bin/python3 with NumPy and
# matplotlib (Debian: `apt-get install -y python3-numpy python3-matplotlib`), and a checkout of
# oreilly-japan/deep-learning-from-scratch-3 whose folder is the first argument.
# Usage: bench/quickstart-vs-python.sh <book checkout> [runs]
set -euo pipefail
book=$(cd "$1" && pwd)
runs=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/nuget-cache" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MPLBACKEND=Agg PYTHONWARNINGS=ignore
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/src/Directory.Build.props")

dotnet pack "$repo/src/DeZero/DeZero.csproj" -c Release --no-build -o "$work/packages" >/dev/null
dotnet new console -o "$work/app" >/dev/null
dotnet new nugetconfig -o "$work/app" >/dev/null
dotnet nuget add source "$work/packages" --name dezero --configfile "$work/app/nuget.config" >/dev/null
dotnet add "$work/app" package DeZero --version "$version" >/dev/null
awk '/^## Quick start/ { q = 1 } q && /^```csharp/ { if (++n == 1) { on = 1; next } } /^```/ { on = 0 } on' \
  "$repo/README.md" > "$work/app/Program.cs"
dotnet build "$work/app" -c Release -o "$work/out" >/dev/null

wall() { # command...: prints the wall time of one run in seconds
  local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: > "$work/dotnet.txt"; : > "$work/python.txt"
for _ in $(seq "$runs"); do
  wall dotnet "$work/out/app.dll" >> "$work/dotnet.txt"
  (cd "$book/steps" && wall /usr/bin/python3 step43.py) >> "$work/python.txt"
done
d=$(median < "$work/dotnet.txt"); p=$(median < "$work/python.txt")
echo "quick start (dotnet app.dll): $(tr '\n' ' ' < "$work/dotnet.txt")-> median $d s"
echo "python step43.py:             $(tr '\n' ' ' < "$work/python.txt")-> median $p s"
awk -v d="$d" -v p="$p" 'BEGIN { printf "ratio: %.2f\n", d / p }'
