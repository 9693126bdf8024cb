#Requires -Modules Pester
Describe 'Invoke-ScsiCommand' {
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

    It 'runs INQUIRY and returns the rich result' {
        $r = Invoke-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x12, 0, 0, 0, 96, 0)) -DataInLength 96
        $r | Should -BeOfType 'Iscsi.Scsi.ScsiResult'
        $r.Status | Should -Be 'Good'
        $r.DataInLength | Should -BeGreaterThan 35
        ($r.Data.ToArray()[0] -band 0x1F) | Should -Be 0
        $r.Duration | Should -BeGreaterThan ([timespan]::Zero)
        [Convert]::ToHexString($r.Cdb) | Should -Be '120000006000'
    }

    It 'writes a non-terminating error with the result as target object for CHECK CONDITION' {
        # READ(10) far past the end of the 64 MiB LUN: ILLEGAL REQUEST.
        $cdb = [byte[]](0x28, 0, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 1, 0)
        $out = Invoke-ScsiCommand -Session $Session -Lun 1 -Cdb $cdb -DataInLength 512 -ErrorAction SilentlyContinue -ErrorVariable failures
        $out | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'ScsiCheckCondition.IllegalRequest,IscsiModule.Commands.InvokeScsiCommandCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject.Sense.SenseKey | Should -Be 'IllegalRequest'
    }

    It 'returns the failed result as output with -SkipStatusCheck' {
        $cdb = [byte[]](0x28, 0, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 1, 0)
        $r = Invoke-ScsiCommand -Session $Session -Lun 1 -Cdb $cdb -DataInLength 512 -SkipStatusCheck -ErrorVariable failures
        $failures | Should -HaveCount 0
        $r.Status | Should -Be 'CheckCondition'
    }

    It 'does not send a data-changing CDB under -WhatIf' {
        $before = $Session.Statistics.CommandsSent
        Invoke-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x2A, 0, 0, 0, 0, 100, 0, 0, 1, 0)) -DataOut ([byte[]]::new(512)) -WhatIf
        $Session.Statistics.CommandsSent | Should -Be $before
    }

    It 'sends a write with -Confirm:$false' {
        $data = New-RandomBytes -Count 512 -Seed 7
        $r = Invoke-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x2A, 0, 0, 0, 0, 100, 0, 0, 1, 0)) -DataOut $data -Confirm:$false
        $r.DataOutLength | Should -Be 512
        $back = Read-BackingFile -Path $Target.Lun1File -Offset (100 * 512) -Count 512
        [Convert]::ToHexString($back) | Should -Be ([Convert]::ToHexString($data))
    }

    It 'fails with CdbLengthInvalid for a short CDB' {
        Invoke-ScsiCommand -Session $Session -Cdb ([byte[]](0, 0)) -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'CdbLengthInvalid,IscsiModule.Commands.InvokeScsiCommandCommand'
    }
}
