#Requires -Modules Pester
Describe 'Start-ScsiCommand' {
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

    It 'returns a task handle at once' {
        $task = Start-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)) -DataInLength 8
        $task | Should -BeOfType 'Iscsi.Session.ScsiTask'
        $task.Command.Lun | Should -Be 1
        $result = $task | Wait-ScsiCommand
        $result.DataInLength | Should -Be 8
    }

    It 'starts many commands that all complete' {
        $tasks = 0..7 | ForEach-Object { Start-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x28, 0, 0, 0, 0, ($_ * 8), 0, 0, 8, 0)) -DataInLength 4096 }
        $results = $tasks | Wait-ScsiCommand
        @($results) | Should -HaveCount 8
        $results.Status | Should -Not -Contain 'CheckCondition'
    }

    It 'does not start a data-changing CDB under -WhatIf' {
        Start-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x2A, 0, 0, 0, 0, 100, 0, 0, 1, 0)) -DataOut ([byte[]]::new(512)) -WhatIf | Should -BeNullOrEmpty
    }

    It 'fails with DataDirectionConflict for -DataInLength with -DataOut' {
        Start-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)) -DataInLength 512 -DataOut ([byte[]]::new(512)) `
            -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'DataDirectionConflict,IscsiModule.Commands.StartScsiCommandCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}
