#!/usr/bin/env bash
# Runs every test of the project: builds the solution (Release), runs all xunit tests (unit tests plus
# integration tests against a throwaway tgtd started by tests/targets/tgt-target.sh), then the Pester tests under a
# real PowerShell: pwsh 7.6.10 is a local .NET tool (.config/dotnet-tools.json) and Pester 5.9.1 a NuGet package
# (tests/PesterRestore), both restored here, so a machine with the .NET SDK needs nothing else. Exits non-zero if
# anything failed (a Pester run that cannot start is a failure, never a skip) and ends with one line
# "N passed, N failed, N skipped" (xunit from the TRX files plus Pester's NUnit report).
# Without tgtd, integration tests skip on a developer machine and fail on CI (CI=true); .ci/run installs it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
readonly SOLUTION=IscsiModule.slnx
readonly PESTER_DIR=tests/Pester
readonly PESTER_VERSION=5.9.1

# Kept after the run (TestResults/ is git-ignored) so a failure can be read in the TRX; emptied first so
# that old reports are never counted.
readonly results=TestResults/test.sh
rm -rf "$results"
mkdir -p "$results"

status=0
passed=0 failed=0 skipped=0

# Reads one numeric attribute (name $2) of the first element named $1 in the XML file $3; 0 when absent.
xml_attribute() {
    local value
    value=$(grep -o "<$1 [^>]*>" "$3" | head -n 1 | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9][0-9]*' || true)
    echo "${value:-0}"
}

# VSTest TRX: <Counters total= executed= passed= failed= error= timeout= aborted= ...>. A skipped xunit
# test has outcome NotExecuted but is NOT in the notExecuted counter: it only shows as total - executed.
add_trx_counts() {
    local trx=$1
    passed=$((passed + $(xml_attribute Counters passed "$trx")))
    failed=$((failed + $(xml_attribute Counters failed "$trx") + $(xml_attribute Counters error "$trx") \
        + $(xml_attribute Counters timeout "$trx") + $(xml_attribute Counters aborted "$trx")))
    skipped=$((skipped + $(xml_attribute Counters total "$trx") - $(xml_attribute Counters executed "$trx")))
}

# Pester's -CI report (NUnit 2.5 testResults.xml): <test-results total= errors= failures= not-run=
# inconclusive= ignored= skipped= invalid=>; total counts every test, so passed is what is left.
add_pester_counts() {
    local report=$1 total bad skip
    total=$(xml_attribute test-results total "$report")
    bad=$(($(xml_attribute test-results failures "$report") + $(xml_attribute test-results errors "$report") \
        + $(xml_attribute test-results invalid "$report")))
    skip=$(($(xml_attribute test-results skipped "$report") + $(xml_attribute test-results not-run "$report") \
        + $(xml_attribute test-results ignored "$report") + $(xml_attribute test-results inconclusive "$report")))
    passed=$((passed + total - bad - skip))
    failed=$((failed + bad))
    skipped=$((skipped + skip))
}

echo "== dotnet build -c Release $SOLUTION"
if ! dotnet build -c Release "$SOLUTION" -nologo; then
    echo "build failed: no tests were run" >&2
    exit 1
fi

echo "== dotnet test -c Release $SOLUTION"
if ! dotnet test "$SOLUTION" -c Release --no-build -nologo \
    --logger "console;verbosity=minimal" --logger trx --results-directory "$results"; then
    status=1
fi
trx_found=0
for trx in "$results"/*.trx; do
    [[ -e $trx ]] || continue
    trx_found=1
    add_trx_counts "$trx"
done
if ((trx_found == 0)); then
    echo "dotnet test wrote no TRX report: counts below miss the xunit tests" >&2
    status=1
fi

echo "== Pester $PESTER_VERSION ($PESTER_DIR) under the pwsh of .config/dotnet-tools.json"
pester_report="$results/pester-testResults.xml"
if ! dotnet tool restore >/dev/null || ! dotnet restore tests/PesterRestore/PesterRestore.csproj -nologo -v quiet; then
    echo "could not restore pwsh (dotnet tool restore) or Pester (tests/PesterRestore): the Pester tests did not run" >&2
    status=1
    failed=$((failed + 1))
else
    packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
    pester_manifest="${packages%/}/pester/$PESTER_VERSION/tools/Pester.psd1"
    # The Pester files import the module from out/IscsiModule/<version>/, which build.ps1 -Task Build lays out.
    if ! dotnet pwsh -NoProfile -File ./build.ps1 -Task Build; then
        echo "build.ps1 -Task Build failed: the Pester tests cannot import the module" >&2
        status=1
        failed=$((failed + 1))
    elif ! dotnet pwsh -NoProfile -File "$PESTER_DIR/Invoke-PesterTests.ps1" -PesterManifest "$pester_manifest" -ResultFile "$pester_report"; then
        status=1
    fi
    if [[ -f $pester_report ]]; then
        add_pester_counts "$pester_report"
    else
        echo "Pester wrote no report: the Pester tests count as one failure" >&2
        status=1
        failed=$((failed + 1))
    fi
fi

if ((failed > 0)); then
    status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
