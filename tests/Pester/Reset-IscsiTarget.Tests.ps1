#Requires -Modules Pester
Describe 'Reset-IscsiTarget' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Target = Start-IscsiTestTarget
        $Session = Connect-TestDisk $Target
    }

    AfterAll {
        Clear-IscsiTestSessions
        if ($Target) { Stop-IscsiTestTarget $Target }
    }

    It 'sends a warm reset by default' {
        $r = Reset-IscsiTarget -Session $Session -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        if ($failures.Count -gt 0) {
            # Targets may refuse a target reset; the refusal must then be a mapped TaskManagementFailed error.
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TaskManagementFailed.*,IscsiModule.Commands.ResetIscsiTargetCommand'
        }
        else {
            $r.Function | Should -Be 'TargetWarmReset'
            $r.Succeeded | Should -BeTrue
        }
    }

    It 'does nothing under -WhatIf' {
        Reset-IscsiTarget -Session $Session -Cold -WhatIf | Should -BeNullOrEmpty
        $Session.IsConnected | Should -BeTrue
    }

    It 'fails with ResetKindConflict for -Warm and -Cold together' {
        Reset-IscsiTarget -Session $Session -Warm -Cold -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'ResetKindConflict,IscsiModule.Commands.ResetIscsiTargetCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}
