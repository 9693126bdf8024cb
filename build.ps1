#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages and demonstrates the IscsiModule PowerShell module.
.DESCRIPTION
    -Task Build    dotnet publish the module into out/IscsiModule/<version>/ with its manifest, format file
                   and, when platyPS is installed, external help made from docs/cmdlets (+ about_IscsiModule).
    -Task Test     Build, then the xunit tests (tests/Iscsi.Tests) and the Pester tests (tests/Pester, Pester 5).
    -Task Package  Build, then a .nupkg for the PowerShell Gallery in out/ (PSResourceGet or PowerShellGet).
    -Task Demo     Build, start a throwaway tgtd, and run the module's main pipeline against it.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$Root = $PSScriptRoot
$Version = '0.1.0'
$OutRoot = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutRoot 'IscsiModule' $Version

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Invoke-Build {
    if (Test-Path $ModuleDir) { Remove-Item -Recurse -Force $ModuleDir }
    Invoke-Native 'dotnet publish' {
        dotnet publish (Join-Path $Root 'src' 'IscsiModule' 'IscsiModule.csproj') -c $Configuration -o $ModuleDir --nologo
    }
    # PowerShell brings its own System.Management.Automation; never ship the reference assembly.
    Remove-Item (Join-Path $ModuleDir 'System.Management.Automation.dll') -ErrorAction SilentlyContinue

    $helpDir = Join-Path $ModuleDir 'en-US'
    $null = New-Item -ItemType Directory -Force -Path $helpDir
    Copy-Item (Join-Path $Root 'docs' 'about_IscsiModule.md') (Join-Path $helpDir 'about_IscsiModule.help.txt')
    if (Get-Module -ListAvailable -Name platyPS) {
        Import-Module platyPS
        $null = New-ExternalHelp -Path (Join-Path $Root 'docs' 'cmdlets') -OutputPath $helpDir -Force
        Write-Host "External help written to $helpDir"
    }
    else {
        Write-Warning 'platyPS is not installed: the module is built without external help (Install-Module platyPS to add it).'
    }
    Write-Host "Module built in $ModuleDir"
}

function Invoke-Test {
    Invoke-Build
    Invoke-Native 'xunit tests' { dotnet test (Join-Path $Root 'tests' 'Iscsi.Tests') --nologo }

    $pester = Get-Module -ListAvailable -Name Pester | Where-Object Version -ge ([version]'5.0.0') | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) { throw 'Pester 5 is required for the Pester tests: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser' }
    Import-Module $pester
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $Root 'tests' 'Pester'
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputPath = Join-Path $OutRoot 'pester-results.xml'
    # Each test file starts its own tgtd and imports out/IscsiModule/<version>/ anew (TestHelpers.psm1).
    $result = Invoke-Pester -Configuration $config
    if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') { throw "Pester: $($result.FailedCount) test(s) failed." }
}

function Invoke-Package {
    Invoke-Build
    $repoName = 'IscsiModuleLocal-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $null = New-Item -ItemType Directory -Force -Path $OutRoot
    if (Get-Command Publish-PSResource -ErrorAction SilentlyContinue) {
        Register-PSResourceRepository -Name $repoName -Uri $OutRoot -Trusted
        try { Publish-PSResource -Path $ModuleDir -Repository $repoName }
        finally { Unregister-PSResourceRepository -Name $repoName }
    }
    elseif (Get-Command Publish-Module -ErrorAction SilentlyContinue) {
        Register-PSRepository -Name $repoName -SourceLocation $OutRoot -PublishLocation $OutRoot -InstallationPolicy Trusted
        try { Publish-Module -Path $ModuleDir -Repository $repoName -NuGetApiKey 'local' }
        finally { Unregister-PSRepository -Name $repoName }
    }
    else {
        throw 'Neither Microsoft.PowerShell.PSResourceGet nor PowerShellGet is available to pack the module.'
    }
    Get-ChildItem (Join-Path $OutRoot '*.nupkg') | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

function Invoke-Demo {
    Invoke-Build
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('iscsimodule-demo-' + [guid]::NewGuid().ToString('N'))
    $script = Join-Path $Root 'tests' 'targets' 'tgt-target.sh'
    Invoke-Native 'tgt-target.sh start' { bash $script start $work --profile standard | Out-Null }
    try {
        $envFile = @{}
        foreach ($line in Get-Content (Join-Path $work 'target.env')) {
            $i = $line.IndexOf('=')
            if ($i -gt 0) { $envFile[$line.Substring(0, $i)] = $line.Substring($i + 1) }
        }
        Import-Module (Join-Path $ModuleDir 'IscsiModule.psd1') -Force
        $portal = $envFile['HOST']
        $port = [int]$envFile['PORT']

        Write-Host "`n> Get-IscsiTarget -TargetPortalAddress $portal -TargetPortalPortNumber $port" -ForegroundColor Cyan
        Get-IscsiTarget -TargetPortalAddress $portal -TargetPortalPortNumber $port | Format-Table | Out-Host

        Write-Host "> Get-IscsiTarget ... -NodeAddress '*:disk' | Connect-IscsiTarget | Get-IscsiLun" -ForegroundColor Cyan
        $session = Get-IscsiTarget -TargetPortalAddress $portal -TargetPortalPortNumber $port -NodeAddress '*:disk' | IscsiModule\Connect-IscsiTarget
        $session | Get-IscsiLun | Format-Table | Out-Host

        Write-Host '> Write-IscsiBlock -Lun 1 -Lba 0 -Data <512 bytes> -Verify; Read-IscsiBlock -Lun 1 -Lba 0 -BlockCount 1 | Format-Hex' -ForegroundColor Cyan
        $block = [byte[]]::new(512)
        [System.Text.Encoding]::ASCII.GetBytes('Hello from IscsiModule, a userspace iSCSI initiator.').CopyTo($block, 0)
        Write-IscsiBlock -Session $session -Lun 1 -Lba 0 -Data $block -Verify -Confirm:$false
        $session | Read-IscsiBlock -Lun 1 -Lba 0 -BlockCount 1 | Format-Hex | Select-Object -First 4 | Out-Host

        Write-Host '> Test-IscsiSession -Count 2' -ForegroundColor Cyan
        Test-IscsiSession -Session $session -Count 2 -Delay 0 | Format-Table | Out-Host
        $session | IscsiModule\Disconnect-IscsiTarget -Confirm:$false
    }
    finally {
        bash $script stop $work | Out-Null
        Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package }
    'Demo' { Invoke-Demo }
}
