#Requires -Modules Pester
Describe 'Stop-ScsiCommand' {
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

    It 'answers TaskDoesNotExist for a task that already completed' {
        $task = Start-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]]::new(6))
        $null = $task | Wait-ScsiCommand -SkipStatusCheck
        $r = $task | Stop-ScsiCommand -Confirm:$false
        $r | Should -BeOfType 'Iscsi.Session.TaskManagementResult'
        $r.Function | Should -Be 'AbortTask'
        $r.Response | Should -Be 'TaskDoesNotExist'
        $r.Succeeded | Should -BeTrue
    }

    It 'aborts the task set of a LUN' {
        $r = Stop-ScsiCommand -Session $Session -Lun 1 -Confirm:$false
        $r.Function | Should -Be 'AbortTaskSet'
        $r.Response | Should -Be 'FunctionComplete'
        $Session.IsConnected | Should -BeTrue
    }

    It 'does nothing under -WhatIf' {
        Stop-ScsiCommand -SessionIdentifier $Session.SessionIdentifier -Lun 1 -WhatIf | Should -BeNullOrEmpty
    }

    It 'fails with SessionNotFound for an unknown session' {
        Stop-ScsiCommand -SessionIdentifier '000000000000-0000' -Lun 1 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'SessionNotFound,IscsiModule.Commands.StopScsiCommandCommand'
    }
}
