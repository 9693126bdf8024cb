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
        ($r.Data[0] -band 0x1F) | Should -Be 0
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

    It 'absorbs the power-on unit attention of a new session and says so in verbose output and statistics' {
        $fresh = Connect-TestDisk $Target
        $r = Invoke-ScsiCommand -Session $fresh -Lun 1 -Cdb ([byte[]]::new(6)) -Verbose 4>&1
        $verbose = @($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $result = @($r | Where-Object { $_ -is [Iscsi.Scsi.ScsiResult] })
        $result | Should -HaveCount 1
        $result[0].Status | Should -Be 'Good'
        $fresh.Statistics.UnitAttentionsAbsorbed | Should -Be 1
        ($verbose.Message -join "`n") | Should -Match 'UNIT ATTENTION 29h/00h .*TEST UNIT READY was sent again'
        $fresh | Disconnect-IscsiTarget -Confirm:$false
    }

    It 'shows the power-on unit attention raw with -RawUnitAttention' {
        $fresh = Connect-TestDisk $Target
        $out = Invoke-ScsiCommand -Session $fresh -Lun 1 -Cdb ([byte[]]::new(6)) -RawUnitAttention -ErrorAction SilentlyContinue -ErrorVariable failures
        $out | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'ScsiCheckCondition.UnitAttention,IscsiModule.Commands.InvokeScsiCommandCommand'
        $failures[0].TargetObject.Sense.Asc | Should -Be 0x29
        $failures[0].Exception.Message | Should -Match '29h/00h'
        $fresh.Statistics.UnitAttentionsAbsorbed | Should -Be 0
        $fresh | Disconnect-IscsiTarget -Confirm:$false
    }

    It 'sends nothing under -WhatIf, not even a read-only CDB' {
        $before = $Session.Statistics.CommandsSent
        $out = Invoke-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x12, 0, 0, 0, 96, 0)) -DataInLength 96 -WhatIf
        $out | Should -BeNullOrEmpty
        $Session.Statistics.CommandsSent | Should -Be $before
    }

    It 'runs a read-only CDB under -Confirm without asking' {
        # ConfirmImpact High would prompt for a data-changing CDB; INQUIRY changes nothing, so it just runs.
        $r = Invoke-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x12, 0, 0, 0, 36, 0)) -DataInLength 36 -Confirm
        $r.Status | Should -Be 'Good'
    }

    It 'returns Data as a byte[] that Format-Hex, JSON and Clixml keep' {
        $r = Invoke-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x12, 0, 0, 0, 36, 0)) -DataInLength 36
        $r.Data.GetType() | Should -Be ([byte[]])
        $r.Data.Length | Should -Be $r.DataInLength
        ($r.Data | Format-Hex | Out-String) | Should -Match '00000000'
        (ConvertFrom-Json ($r | ConvertTo-Json -Depth 2)).Data | Should -HaveCount $r.DataInLength
        $file = Join-Path $TestDrive 'result.xml'
        $r | Export-Clixml $file
        [Convert]::ToHexString((Import-Clixml $file).Data) | Should -Be ([Convert]::ToHexString($r.Data))
    }

    It 'accepts a session that went through serialization' {
        $file = Join-Path $TestDrive 'session.xml'
        $Session | Export-Clixml $file
        $r = Import-Clixml $file | Invoke-ScsiCommand -Lun 1 -Cdb ([byte[]](0x12, 0, 0, 0, 36, 0)) -DataInLength 36
        $r.Status | Should -Be 'Good'
    }

    It 'fails with CdbLengthInvalid for a short CDB' {
        Invoke-ScsiCommand -Session $Session -Cdb ([byte[]](0, 0)) -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'CdbLengthInvalid,IscsiModule.Commands.InvokeScsiCommandCommand'
    }
}
