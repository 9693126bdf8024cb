#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages and demonstrates the IscsiModule PowerShell module.
.DESCRIPTION
    -Task Build    dotnet publish the module into out/IscsiModule/<version>/ with its manifest, format file and
                   help: en-US/IscsiModule.dll-Help.xml (MAML) made from docs/cmdlets and the cmdlets' own metadata,
                   and en-US/about_IscsiModule.help.txt made from docs/about_IscsiModule.md (tools/HelpBuilder.psm1;
                   no platyPS needed). A cmdlet parameter without a description on its page fails the build.
    -Task Test     Build, then the xunit tests (tests/Iscsi.Tests) and the Pester tests (tests/Pester, Pester 5).
    -Task Package  Build (unless -NoBuild), then a .nupkg for the PowerShell Gallery in out/ or -PackagePath
                   (PSResourceGet or PowerShellGet). The manifest's tags list every cmdlet (PSCommand_<name>).
    -Task Demo     Build (unless -NoBuild), start a throwaway tgtd (or use -TargetEnvFile's), and run the module's main
                   job against it: discovery, connect, LUNs, a block in hex, a write under -WhatIf, ping, statistics.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Package / Demo: use the module already in out/ instead of building it again.
    [switch] $NoBuild,

    # Package: the folder the .nupkg is written to (a local PSResource repository).
    [string] $PackagePath,

    # Demo: the target.env of a target already running (tests/targets/tgt-target.sh); otherwise one is started.
    [string] $TargetEnvFile
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

    Copy-Item (Join-Path $Root 'LICENSE') $ModuleDir
    Add-CommandTags
    Invoke-HelpBuild
    Write-Host "Module built in $ModuleDir"
}

# The Gallery finds a module by the commands it exports through PSCommand_<name> tags (Find-PSResource -CommandName);
# PSResourceGet's Publish-PSResource does not add them, so the built manifest gets them from its CmdletsToExport.
function Add-CommandTags {
    $manifest = Join-Path $ModuleDir 'IscsiModule.psd1'
    $data = Import-PowerShellDataFile $manifest
    $tags = @($data.PrivateData.PSData.Tags) + 'PSModule' + 'PSIncludes_Cmdlet' +
        @($data.CmdletsToExport | ForEach-Object { "PSCommand_$_"; "PSCmdlet_$_" }) | Select-Object -Unique
    $text = Get-Content -Raw $manifest
    $line = 'Tags         = @(' + (($tags | ForEach-Object { "'$_'" }) -join ', ') + ')'
    $updated = [regex]::Replace($text, '(?m)^(\s*)Tags\s*=\s*@\([^)]*\)', { param($m) $m.Groups[1].Value + $line })
    if ($updated -eq $text) { throw "No Tags line to extend in $manifest." }
    Set-Content -LiteralPath $manifest -Value $updated -NoNewline -Encoding utf8NoBOM
}

# Help in a runspace of its own: the builder imports the module just built to read its cmdlets' metadata.
function Invoke-HelpBuild {
    $helpDir = Join-Path $ModuleDir 'en-US'
    $null = New-Item -ItemType Directory -Force -Path $helpDir
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddScript({
                param($Builder, $Manifest, $Pages, $Maml, $About, $AboutText)
                $ErrorActionPreference = 'Stop'
                Import-Module $Builder
                Import-Module $Manifest
                $count = New-MamlHelp -ModuleName IscsiModule -PagesPath $Pages -OutputFile $Maml
                ConvertTo-AboutHelpText -Path $About | Set-Content -LiteralPath $AboutText -Encoding utf8NoBOM
                $count
            }).AddParameters(@{
                Builder   = Join-Path $Root 'tools' 'HelpBuilder.psm1'
                Manifest  = Join-Path $ModuleDir 'IscsiModule.psd1'
                Pages     = Join-Path $Root 'docs' 'cmdlets'
                Maml      = Join-Path $helpDir 'IscsiModule.dll-Help.xml'
                About     = Join-Path $Root 'docs' 'about_IscsiModule.md'
                AboutText = Join-Path $helpDir 'about_IscsiModule.help.txt'
            })
        $count = $ps.Invoke()
        if ($ps.HadErrors) { throw "Building help failed: $($ps.Streams.Error -join '; ')" }
        Write-Host "Help for $count cmdlets and about_IscsiModule written to $helpDir"
    }
    finally { $ps.Dispose() }
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
    if (-not $NoBuild) { Invoke-Build }
    $target = if ($PackagePath) { $PackagePath } else { $OutRoot }
    $repoName = 'IscsiModuleLocal-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $null = New-Item -ItemType Directory -Force -Path $target
    if (Get-Command Publish-PSResource -ErrorAction SilentlyContinue) {
        Register-PSResourceRepository -Name $repoName -Uri $target -Trusted
        try { Publish-PSResource -Path $ModuleDir -Repository $repoName }
        finally { Unregister-PSResourceRepository -Name $repoName }
    }
    elseif (Get-Command Publish-Module -ErrorAction SilentlyContinue) {
        Register-PSRepository -Name $repoName -SourceLocation $target -PublishLocation $target -InstallationPolicy Trusted
        try { Publish-Module -Path $ModuleDir -Repository $repoName -NuGetApiKey 'local' }
        finally { Unregister-PSRepository -Name $repoName }
    }
    else {
        throw 'Neither Microsoft.PowerShell.PSResourceGet nor PowerShellGet is available to pack the module.'
    }
    Get-ChildItem (Join-Path $target '*.nupkg') | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

function Invoke-Demo {
    if (-not $NoBuild) { Invoke-Build }
    $script = Join-Path $Root 'tests' 'targets' 'tgt-target.sh'
    $work = $null
    if (-not $TargetEnvFile) {
        $work = Join-Path ([System.IO.Path]::GetTempPath()) ('iscsimodule-demo-' + [guid]::NewGuid().ToString('N'))
        Invoke-Native 'tgt-target.sh start' { bash $script start $work --profile standard | Out-Null }
        $TargetEnvFile = Join-Path $work 'target.env'
    }
    try {
        $t = @{}
        foreach ($line in Get-Content $TargetEnvFile) {
            $i = $line.IndexOf('=')
            if ($i -gt 0) { $t[$line.Substring(0, $i)] = $line.Substring($i + 1) }
        }
        Import-Module (Join-Path $ModuleDir 'IscsiModule.psd1') -Force
        $portal = $t['HOST']
        $port = [int]$t['PORT']
        $step = { param($Command) Write-Host "`nPS> $Command" -ForegroundColor Cyan }

        & $step "Get-IscsiTarget -TargetPortalAddress $portal -TargetPortalPortNumber $port"
        Get-IscsiTarget -TargetPortalAddress $portal -TargetPortalPortNumber $port | Out-Host

        & $step "`$s = Get-IscsiTarget -TargetPortalAddress $portal -TargetPortalPortNumber $port -NodeAddress '*:disk' | Connect-IscsiTarget"
        $s = Get-IscsiTarget -TargetPortalAddress $portal -TargetPortalPortNumber $port -NodeAddress '*:disk' | IscsiModule\Connect-IscsiTarget
        $s | Out-Host

        & $step '$s | Get-IscsiLun'
        $s | Get-IscsiLun | Out-Host

        & $step '$s | Get-IscsiLun -Lun 1 | Read-IscsiBlock -Lba 0 -BlockCount 1 | Format-Hex | Select-Object -First 4'
        $s | Get-IscsiLun -Lun 1 | Read-IscsiBlock -Lba 0 -BlockCount 1 | Format-Hex | Select-Object -First 4 | Out-Host

        & $step '$s | Write-IscsiBlock -Lun 1 -Lba 0 -Data ([byte[]]::new(512)) -WhatIf'
        $s | Write-IscsiBlock -Lun 1 -Lba 0 -Data ([byte[]]::new(512)) -WhatIf

        & $step 'Test-IscsiSession $s -Count 2 -Delay 0'
        Test-IscsiSession $s -Count 2 -Delay 0 | Out-Host

        & $step 'Get-IscsiSession | Format-List SessionIdentifier, NodeAddress, State, Negotiated, Statistics'
        Get-IscsiSession | Format-List SessionIdentifier, NodeAddress, State, Negotiated, Statistics | Out-Host

        & $step '$s | Disconnect-IscsiTarget -Confirm:$false'
        $s | IscsiModule\Disconnect-IscsiTarget -Confirm:$false
    }
    finally {
        if ($work) {
            bash $script stop $work | Out-Null
            Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
        }
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package }
    'Demo' { Invoke-Demo }
}
