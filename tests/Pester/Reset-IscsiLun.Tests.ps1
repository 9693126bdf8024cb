#Requires -Modules Pester
Describe 'Reset-IscsiLun' {
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

    It 'resets a LUN and the session stays usable' {
        $r = Reset-IscsiLun -Session $Session -Lun 1 -Confirm:$false
        $r | Should -BeOfType 'Iscsi.Session.TaskManagementResult'
        $r.Function | Should -Be 'LogicalUnitReset'
        $r.Response | Should -Be 'FunctionComplete'
        (Read-IscsiBlock -Session $Session -Lun 1 -Lba 0 -BlockCount 1).Length | Should -Be 512
    }

    It 'takes Session and Lun from a piped IscsiLun' {
        $r = Get-IscsiLun -Session $Session -Lun 3 | Reset-IscsiLun -Confirm:$false
        $r.Lun | Should -Be 3
    }

    It 'does nothing under -WhatIf' {
        Reset-IscsiLun -Session $Session -Lun 1 -WhatIf | Should -BeNullOrEmpty
    }

    It 'fails with SessionClosed on a disconnected session' {
        $closed = Connect-TestDisk $Target
        $closed | Disconnect-IscsiTarget -Confirm:$false
        Reset-IscsiLun -Session $closed -Lun 1 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'SessionClosed,IscsiModule.Commands.ResetIscsiLunCommand'
    }
}
