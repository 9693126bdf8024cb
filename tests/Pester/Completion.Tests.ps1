#Requires -Modules Pester
# Tab completion as the console asks for it (TabExpansion2): values from the module, never file names.
Describe 'Completion' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Target = Start-IscsiTestTarget
        Push-Location $TestDrive
        New-Item -ItemType File -Path 'iqn-lookalike.txt', '1.txt', '127.0.0.1.txt' | Out-Null # what file completion would offer
        function Complete { param([string] $Line) (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches }
    }

    AfterAll {
        Pop-Location
        Clear-IscsiTestSessions
        if ($Target) { Stop-IscsiTestTarget $Target }
    }

    It 'offers nothing, not file names, before anything is known' {
        Complete 'Connect-IscsiTarget -NodeAddress ' | Should -BeNullOrEmpty
        Complete 'Get-IscsiTarget -TargetPortalAddress ' | Should -BeNullOrEmpty
        Complete 'Read-IscsiBlock -Lun ' | Should -BeNullOrEmpty
    }

    It 'offers discovered targets for -NodeAddress and their portals for -TargetPortalAddress' {
        $null = Get-IscsiTarget -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port
        (Complete 'Connect-IscsiTarget -NodeAddress ').CompletionText | Should -Be @($Target.ChapIqn, $Target.DiskIqn, $Target.MutualIqn | Sort-Object)
        (Complete 'Connect-IscsiTarget -NodeAddress iqn.2026-11.test.iscsimodule:d').CompletionText | Should -Be $Target.DiskIqn
        (Complete 'Connect-IscsiTarget -TargetPortalAddress ').CompletionText | Should -Be $Target.Host
    }

    It 'offers session identifiers with their target in the menu' {
        $s = Connect-TestDisk $Target
        $matches = Complete 'Read-IscsiBlock -SessionIdentifier '
        $match = $matches | Where-Object CompletionText -eq $s.SessionIdentifier
        $match | Should -Not -BeNullOrEmpty
        $match.ListItemText | Should -Match ([regex]::Escape($Target.DiskIqn))
        $match.ToolTip | Should -Match "$([regex]::Escape($Target.Host)):$($Target.Port)"
    }

    It 'offers the LUNs of the session on the command line for -Lun' {
        $s = Connect-TestDisk $Target
        $global:CompletionSession = $s
        try {
            (Complete 'Read-IscsiBlock -Session $CompletionSession -Lun ').CompletionText | Should -Be @('0', '1', '2', '3', '4')
            (Complete "Read-IscsiBlock -SessionIdentifier $($s.SessionIdentifier) -Lun 3").CompletionText | Should -Be '3'
        }
        finally { Remove-Variable -Name CompletionSession -Scope Global }
    }
}
