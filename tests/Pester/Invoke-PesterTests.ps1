#Requires -Version 7.4
<#
.SYNOPSIS
    Runs every tests/Pester/*.Tests.ps1 with the Pester 5.9.1 that tests/PesterRestore brought into the NuGet
    package folder, writing an NUnit report. Exits non-zero when a test failed or none ran.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/Pester/Invoke-PesterTests.ps1 -PesterManifest ~/.nuget/packages/pester/5.9.1/tools/Pester.psd1 -ResultFile pester.xml
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $Path = $PSScriptRoot
)
# No $ErrorActionPreference = 'Stop' here: it would reach the tests and turn the module's non-terminating errors,
# which the tests assert on, into failures.
Import-Module $PesterManifest -Force -ErrorAction Stop
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.Exit = $false
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultFile
$result = Invoke-Pester -Configuration $config
if ($result.TotalCount -eq 0) { Write-Error 'Pester found no tests.'; exit 1 }
exit ([int]($result.Result -ne 'Passed'))
