#Requires -Modules Pester
Describe 'Read-IscsiBlock' {
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

    It 'returns one byte[] (not enumerated) that matches the backing file' {
        $data = New-RandomBytes -Count 1024 -Seed 21
        Write-BackingFile -Path $Target.Lun1File -Offset (700 * 512) -Bytes $data
        $read = $Session | Read-IscsiBlock -Lun 1 -Lba 700 -BlockCount 2
        $read.GetType().FullName | Should -Be 'System.Byte[]'
        @($Session | Read-IscsiBlock -Lun 1 -Lba 700 -BlockCount 2).Count | Should -Be 1
        [Convert]::ToHexString($read) | Should -Be ([Convert]::ToHexString($data))
    }

    It 'pipes into Format-Hex' {
        ($Session | Read-IscsiBlock -Lun 1 -Lba 0 -BlockCount 1 | Format-Hex | Out-String) | Should -Match '00000000'
    }

    It 'takes Session and Lun from a piped IscsiLun' {
        $read = Get-IscsiLun -Session $Session -Lun 3 | Read-IscsiBlock -Lba 0 -BlockCount 1
        $read.Length | Should -Be 4096
    }

    It 'streams to -Path with a bounded read-ahead' {
        $data = New-RandomBytes -Count (600 * 512) -Seed 22
        Write-BackingFile -Path $Target.Lun1File -Offset (10000 * 512) -Bytes $data
        $path = Join-Path $Target.WorkDirectory 'read.bin'
        $summary = Read-IscsiBlock -Session $Session -Lun 1 -Lba 10000 -BlockCount 600 -Path $path -BufferSize 65536 -BufferCount 3
        $summary | Should -BeOfType 'IscsiModule.TransferSummary'
        $summary.Bytes | Should -Be (600 * 512)
        [Convert]::ToHexString([System.IO.File]::ReadAllBytes($path)) | Should -Be ([Convert]::ToHexString($data))
    }

    It 'fails with LbaOutOfRange past the capacity' {
        $null = Read-IscsiBlock -Session $Session -Lun 1 -Lba $Target.Lun1Blocks -BlockCount 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'LbaOutOfRange,IscsiModule.Commands.ReadIscsiBlockCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].Exception.Message | Should -Match "LBA $($Target.Lun1Blocks)"
    }

    It 'fails with SessionNotFound for an unknown session identifier' {
        $null = Read-IscsiBlock -SessionIdentifier '000000000000-0000' -Lun 1 -Lba 0 -BlockCount 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'SessionNotFound,IscsiModule.Commands.ReadIscsiBlockCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
