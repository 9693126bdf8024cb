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

    It 'takes a Read-IscsiBlock byte[] from the pipeline (a block copy)' {
        $data = New-RandomBytes -Count 4096 -Seed 34
        Write-BackingFile -Path $Target.Lun1File -Offset (40000 * 512) -Bytes $data
        Read-IscsiBlock -Session $Session -Lun 1 -Lba 40000 -BlockCount 8 | Write-IscsiBlock -Session $Session -Lun 1 -Lba 41000 -Confirm:$false
        [Convert]::ToHexString((Read-BackingFile -Path $Target.Lun1File -Offset (41000 * 512) -Count 4096)) | Should -Be ([Convert]::ToHexString($data))
    }

    It 'gathers enumerated bytes from the pipeline into one write' {
        $data = New-RandomBytes -Count 1024 -Seed 35
        $before = $Session.Statistics.CommandsSent
        $data | Write-IscsiBlock -Session $Session -Lun 1 -Lba 42000 -Confirm:$false -ErrorVariable failures
        $failures | Should -HaveCount 0
        $Session.Statistics.CommandsSent - $before | Should -Be 1
        [Convert]::ToHexString((Read-BackingFile -Path $Target.Lun1File -Offset (42000 * 512) -Count 1024)) | Should -Be ([Convert]::ToHexString($data))
    }

    It 'says DataSourceMissing for a piped session without data' {
        $Session | Write-IscsiBlock -Lun 1 -Lba 0 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'DataSourceMissing,IscsiModule.Commands.WriteIscsiBlockCommand'
    }

    It 'says which blocks were written, unknown and not sent when a write of several requests fails' {
        # The read-only LUN refuses the first request; the others are never sent or fail too.
        Write-IscsiBlock -Session $Session -Lun 4 -Lba 0 -Data ([byte[]]::new(8192)) -BufferSize 1024 -BufferCount 2 -Confirm:$false `
            -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'ScsiCheckCondition.DataProtect,IscsiModule.Commands.WriteIscsiBlockCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'WriteError'
        $failures[0].Exception.Message | Should -Match 'So far: LBA 0-\d+ unknown .*not sent'
    }

    It 'fails with DataSourceMissing without -Data or -Path' {
        Write-IscsiBlock -Session $Session -Lun 1 -Lba 0 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'DataSourceMissing,IscsiModule.Commands.WriteIscsiBlockCommand'
    }
}
