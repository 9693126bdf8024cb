#Requires -Modules Pester
Describe 'Disconnect-IscsiTarget' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Target = Start-IscsiTestTarget
    }

    AfterAll {
        Clear-IscsiTestSessions
        if ($Target) { Stop-IscsiTestTarget $Target }
    }

    It 'logs out a piped session and removes it from the cache' {
        $s = Connect-TestDisk $Target
        $out = $s | Disconnect-IscsiTarget -Confirm:$false -PassThru
        $out.SessionIdentifier | Should -Be $s.SessionIdentifier
        $out.IsConnected | Should -BeFalse
        Get-IscsiSession -SessionIdentifier $s.SessionIdentifier -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'logs out every session to a target by NodeAddress' {
        $null = Connect-TestDisk $Target
        $null = Connect-TestDisk $Target
        Disconnect-IscsiTarget -NodeAddress $Target.DiskIqn -Confirm:$false
        Get-IscsiSession -NodeAddress $Target.DiskIqn -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'logs out more sessions than one batch, passing each through in the order piped' {
        # Logouts run 64 at a time; 70 sessions cross a batch boundary and the end of the pipeline.
        $sessions = 1..70 | ForEach-Object { Connect-TestDisk $Target }
        $out = @($sessions | Disconnect-IscsiTarget -Confirm:$false -PassThru)
        $out.Count | Should -Be 70
        ($out.SessionIdentifier -join ',') | Should -Be ($sessions.SessionIdentifier -join ',')
        @($sessions | Where-Object IsConnected).Count | Should -Be 0
        @(Get-IscsiSession -NodeAddress $Target.DiskIqn -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'keeps the session under -WhatIf' {
        $s = Connect-TestDisk $Target
        Disconnect-IscsiTarget -SessionIdentifier $s.SessionIdentifier -WhatIf
        $s.IsConnected | Should -BeTrue
        $s | Disconnect-IscsiTarget -Confirm:$false
    }

    It 'fails with SessionNotFound for an unknown identifier' {
        Disconnect-IscsiTarget -SessionIdentifier '000000000000-0000' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'SessionNotFound,IscsiModule.Commands.DisconnectIscsiTargetCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
