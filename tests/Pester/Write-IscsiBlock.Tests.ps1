#Requires -Modules Pester
Describe 'Write-IscsiBlock' {
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

    It 'writes -Data that lands in the backing file, verified' {
        $data = New-RandomBytes -Count 2048 -Seed 31
        $summary = Write-IscsiBlock -Session $Session -Lun 1 -Lba 900 -Data $data -Verify -PassThru -Confirm:$false
        $summary.Verified | Should -BeTrue
        $summary.BlockCount | Should -Be 4
        $back = Read-BackingFile -Path $Target.Lun1File -Offset (900 * 512) -Count 2048
        [Convert]::ToHexString($back) | Should -Be ([Convert]::ToHexString($data))
    }

    It 'writes a file given with -Path' {
        $data = New-RandomBytes -Count (100 * 512) -Seed 32
        $path = Join-Path $Target.WorkDirectory 'write.bin'
        [System.IO.File]::WriteAllBytes($path, $data)
        Write-IscsiBlock -Session $Session -Lun 1 -Lba 20000 -Path $path -BufferSize 8192 -BufferCount 4 -Confirm:$false
        $back = Read-BackingFile -Path $Target.Lun1File -Offset (20000 * 512) -Count $data.Length
        [Convert]::ToHexString($back) | Should -Be ([Convert]::ToHexString($data))
    }

    It 'writes nothing under -WhatIf' {
        $before = Read-BackingFile -Path $Target.Lun1File -Offset (30000 * 512) -Count 512
        Write-IscsiBlock -Session $Session -Lun 1 -Lba 30000 -Data (New-RandomBytes -Count 512 -Seed 33) -WhatIf
        $after = Read-BackingFile -Path $Target.Lun1File -Offset (30000 * 512) -Count 512
        [Convert]::ToHexString($after) | Should -Be ([Convert]::ToHexString($before))
    }

    It 'fails with DataNotBlockMultiple for data that is not whole blocks' {
        Write-IscsiBlock -Session $Session -Lun 1 -Lba 0 -Data ([byte[]]::new(1000)) -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'DataNotBlockMultiple,IscsiModule.Commands.WriteIscsiBlockCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'fails with a WriteError on the read-only LUN' {
        Write-IscsiBlock -Session $Session -Lun 4 -Lba 0 -Data ([byte[]]::new(512)) -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'ScsiCheckCondition.DataProtect,IscsiModule.Commands.WriteIscsiBlockCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'WriteError'
    }

    It 'fails with LbaOutOfRange past the capacity' {
        Write-IscsiBlock -Session $Session -Lun 1 -Lba ($Target.Lun1Blocks - 1) -Data ([byte[]]::new(1024)) -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'LbaOutOfRange,IscsiModule.Commands.WriteIscsiBlockCommand'
    }

    It 'fails with DataSourceMissing without -Data or -Path' {
        Write-IscsiBlock -Session $Session -Lun 1 -Lba 0 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'DataSourceMissing,IscsiModule.Commands.WriteIscsiBlockCommand'
    }
}
