#Requires -Version 7.4
<#
.SYNOPSIS
    How many calls per second the module's main cmdlets make against a throwaway local target.
.DESCRIPTION
    Starts a tgtd (tests/targets/tgt-target.sh) on a free loopback port, imports the module from -ModulePath
    (default: the build in out/), and calls each cmdlet in a loop for -Seconds seconds (after a short warm-up),
    timing every call. Prints one row per cmdlet: calls, calls/s, and the median and 99th percentile of one call.
    What it measures is the cost a script pays per cmdlet call: parameter binding, the module's own work, the
    commands on the wire and the wait for the target (a 1-block read is two round trips when the module asks
    the capacity first).
.EXAMPLE
    ./build.ps1 -Task Build; pwsh -NoProfile -File bench/cmdlets.ps1 -Seconds 3
.EXAMPLE
    pwsh -NoProfile -File bench/cmdlets.ps1 -Seconds 1 -Sessions 1000   # also: open 1000 sessions, then close them in one pipeline
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'IscsiModule' '0.1.0' 'IscsiModule.psd1'),
    [ValidateRange(0.1, 600)]
    [double] $Seconds = 3,
    [ValidateRange(0, 60)]
    [double] $WarmupSeconds = 0.5,
    # Also time connecting this many sessions one after another, and disconnecting them all in one pipeline.
    [ValidateRange(0, 5000)]
    [int] $Sessions = 0
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Resolve-Path (Join-Path $PSScriptRoot '..')
$targetScript = Join-Path $root 'tests' 'targets' 'tgt-target.sh'
$work = Join-Path ([System.IO.Path]::GetTempPath()) ('iscsimodule-bench-' + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory -Path $work

function Measure-Calls {
    param([string] $Name, [scriptblock] $Call)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($watch.Elapsed.TotalSeconds -lt $WarmupSeconds) { $null = & $Call }
    $times = [System.Collections.Generic.List[double]]::new()
    $watch.Restart()
    while ($watch.Elapsed.TotalSeconds -lt $Seconds) {
        $start = $watch.Elapsed.TotalMilliseconds
        $null = & $Call
        $times.Add($watch.Elapsed.TotalMilliseconds - $start)
    }
    $elapsed = $watch.Elapsed.TotalSeconds
    $sorted = $times.ToArray(); [array]::Sort($sorted)
    [pscustomobject]@{
        Cmdlet    = $Name
        Calls     = $sorted.Length
        'Calls/s' = [math]::Round($sorted.Length / $elapsed, 0)
        'p50 ms'  = [math]::Round($sorted[[int][math]::Floor(($sorted.Length - 1) * 0.5)], 3)
        'p99 ms'  = [math]::Round($sorted[[int][math]::Floor(($sorted.Length - 1) * 0.99)], 3)
    }
}

try {
    $null = & bash $targetScript start $work --profile standard
    if ($LASTEXITCODE -ne 0) { throw "tgt-target.sh could not start a target (exit $LASTEXITCODE)" }
    $t = @{}
    foreach ($line in Get-Content (Join-Path $work 'target.env')) {
        $i = $line.IndexOf('='); if ($i -gt 0) { $t[$line.Substring(0, $i)] = $line.Substring($i + 1) }
    }
    Import-Module (Resolve-Path $ModulePath).Path -Force
    $module = Get-Module IscsiModule
    $portal = @{ TargetPortalAddress = $t.HOST; TargetPortalPortNumber = [int]$t.PORT }
    $s = IscsiModule\Connect-IscsiTarget -NodeAddress $t.DISK_IQN @portal -New
    $tur = [byte[]](0, 0, 0, 0, 0, 0)
    $block = [byte[]]::new(512)
    # The first command of a new session meets the target's power-on unit attention; take it before measuring.
    $null = IscsiModule\Invoke-ScsiCommand -Session $s -Lun 1 -Cdb $tur -ErrorAction SilentlyContinue

    "IscsiModule $($module.Version) from $ModulePath; tgtd at $($t.HOST):$($t.PORT); $Seconds s per cmdlet, $([Environment]::ProcessorCount) CPUs"
    @(
        Measure-Calls 'Invoke-ScsiCommand (TEST UNIT READY)' { IscsiModule\Invoke-ScsiCommand -Session $s -Lun 1 -Cdb $tur }
        Measure-Calls 'Read-IscsiBlock (1 block)' { IscsiModule\Read-IscsiBlock -Session $s -Lun 1 -Lba 0 -BlockCount 1 }
        Measure-Calls 'Write-IscsiBlock (1 block)' { IscsiModule\Write-IscsiBlock -Session $s -Lun 1 -Lba 8 -Data $block -Confirm:$false }
        Measure-Calls 'Test-IscsiSession -Count 1' { IscsiModule\Test-IscsiSession -Session $s -Count 1 -Delay 0 }
        Measure-Calls 'Get-IscsiLun -Lun 1' { IscsiModule\Get-IscsiLun -Session $s -Lun 1 }
        Measure-Calls 'Get-IscsiSession' { IscsiModule\Get-IscsiSession }
        Measure-Calls 'Connect-IscsiTarget (cached)' { IscsiModule\Connect-IscsiTarget -NodeAddress $t.DISK_IQN @portal }
        Measure-Calls 'Get-IscsiTarget (discovery login)' { IscsiModule\Get-IscsiTarget @portal }
        Measure-Calls 'Connect -New + Disconnect' {
            IscsiModule\Connect-IscsiTarget -NodeAddress $t.DISK_IQN @portal -New | IscsiModule\Disconnect-IscsiTarget -Confirm:$false
        }
    ) | Format-Table -AutoSize | Out-String -Width 120

    if ($Sessions -gt 0) {
        IscsiModule\Get-IscsiSession | IscsiModule\Disconnect-IscsiTarget -Confirm:$false
        $connect = Measure-Command {
            for ($i = 0; $i -lt $Sessions; $i++) { $null = IscsiModule\Connect-IscsiTarget -NodeAddress $t.DISK_IQN @portal -New }
        }
        $open = @(IscsiModule\Get-IscsiSession).Count
        $disconnect = Measure-Command { IscsiModule\Get-IscsiSession | IscsiModule\Disconnect-IscsiTarget -Confirm:$false }
        '{0} sessions: connected one by one in {1:0.00} s; Get-IscsiSession | Disconnect-IscsiTarget closed {2} in {3:0.00} s ({4} left)' -f
            $Sessions, $connect.TotalSeconds, $open, $disconnect.TotalSeconds, @(IscsiModule\Get-IscsiSession).Count
    }
}
finally {
    Get-Module IscsiModule | ForEach-Object { IscsiModule\Get-IscsiSession | IscsiModule\Disconnect-IscsiTarget -Confirm:$false -ErrorAction SilentlyContinue }
    & bash $targetScript stop $work | Out-Null
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
