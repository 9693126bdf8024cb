#Requires -Modules Pester
# The package as a user gets it: published to a local repository, found by command name, saved into a fresh module
# path, imported by name in a pwsh of its own, and the README pipeline run with it against a real target.
Describe 'Package' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Target = Start-IscsiTestTarget
        $Repo = Join-Path $TestDrive 'repo'
        $Modules = Join-Path $TestDrive 'modules'
        $RepoName = 'IscsiModuleTest-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        & (Join-Path (Get-RepositoryRoot) 'build.ps1') -Task Package -NoBuild -PackagePath $Repo *> $null
        Register-PSResourceRepository -Name $RepoName -Uri $Repo -Trusted
    }

    AfterAll {
        Unregister-PSResourceRepository -Name $RepoName -ErrorAction SilentlyContinue
        if ($Target) { Stop-IscsiTestTarget $Target }
    }

    It 'is found by command name, with its license and help inside' {
        $found = Find-PSResource -CommandName Connect-IscsiTarget -Repository $RepoName
        $found.ParentResource.Name | Should -Be 'IscsiModule'
        $nupkg = Get-ChildItem $Repo -Filter 'IscsiModule.*.nupkg'
        $nupkg | Should -HaveCount 1
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg.FullName)
        try {
            $names = $zip.Entries.FullName
            $names | Should -Contain 'en-US/IscsiModule.dll-Help.xml'
            $names | Should -Contain 'en-US/about_IscsiModule.help.txt'
            $names | Should -Contain 'LICENSE'
            $names | Should -Not -Contain 'System.Management.Automation.dll'
        }
        finally { $zip.Dispose() }
    }

    It 'installs into a fresh module path, imports by name and runs the README pipeline' {
        $null = New-Item -ItemType Directory -Path $Modules
        Save-PSResource -Name IscsiModule -Repository $RepoName -Path $Modules -TrustRepository
        Join-Path $Modules 'IscsiModule' | Should -Exist
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module IscsiModule
'base=' + (Get-Module IscsiModule).ModuleBase
'synopsis=' + (Get-Help Connect-IscsiTarget).Synopsis
Get-IscsiTarget -TargetPortalAddress $($Target.Host) -TargetPortalPortNumber $($Target.Port) -NodeAddress '*:disk' |
    Connect-IscsiTarget | Get-IscsiLun | Where-Object Lun -eq 1 |
    Read-IscsiBlock -Lba 0 -BlockCount 1 | Format-Hex | Select-Object -First 1 | Out-String
"@
        $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $script) { $start.ArgumentList.Add($a) }
        $start.Environment['PSModulePath'] = $Modules
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($start)
        $stdout = $child.StandardOutput.ReadToEndAsync(); $stderr = $child.StandardError.ReadToEndAsync()
        $child.WaitForExit(120000) | Should -BeTrue
        $stderr.Result | Should -BeNullOrEmpty
        $child.ExitCode | Should -Be 0
        $stdout.Result | Should -Match ([regex]::Escape("base=$Modules"))
        $stdout.Result | Should -Match 'synopsis=Logs in to an iSCSI target'
        $stdout.Result | Should -Match '00000000'
    }
}
