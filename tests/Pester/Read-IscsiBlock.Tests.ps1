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

    It 'fails with LunNotFound for a LUN the target does not have, naming those it has' {
        $null = Read-IscsiBlock -Session $Session -Lun 99 -Lba 0 -BlockCount 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'LunNotFound,IscsiModule.Commands.ReadIscsiBlockCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].Exception.Message | Should -Match 'LUN 99 is not reported .* \(its LUNs: 0, 1, 2, 3, 4\)'
    }

    It 'fails with LunNotBlockDevice for the controller LUN 0' {
        $null = Get-IscsiLun -Session $Session -Lun 0 | Read-IscsiBlock -Lba 0 -BlockCount 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'LunNotBlockDevice,IscsiModule.Commands.ReadIscsiBlockCommand'
        $failures[0].Exception.Message | Should -Match 'LUN 0 .* not a block device'
    }

    It 'fails with PathIsDirectory for a -Path that is a directory' {
        $null = Read-IscsiBlock -Session $Session -Lun 1 -Lba 0 -BlockCount 1 -Path $TestDrive -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'PathIsDirectory,IscsiModule.Commands.ReadIscsiBlockCommand'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($TestDrive))
    }

    It 'asks the capacity once per session and LUN, and again after the LUN reports a unit attention' {
        $null = Read-IscsiBlock -Session $Session -Lun 1 -Lba 0 -BlockCount 1
        $before = $Session.Statistics.CommandsSent
        $null = Read-IscsiBlock -Session $Session -Lun 1 -Lba 1 -BlockCount 1
        $Session.Statistics.CommandsSent - $before | Should -Be 1
        # After a LUN reset tgtd reports 29h/03h on the next command (the READ, sent again): the session forgets
        # what it knew of the LU, and the read after that asks the capacity again.
        $null = Reset-IscsiLun -Session $Session -Lun 1 -Confirm:$false
        $absorbed = $Session.Statistics.UnitAttentionsAbsorbed
        $null = Read-IscsiBlock -Session $Session -Lun 1 -Lba 2 -BlockCount 1
        $Session.Statistics.UnitAttentionsAbsorbed | Should -Be ($absorbed + 1)
        $before = $Session.Statistics.CommandsSent
        $null = Read-IscsiBlock -Session $Session -Lun 1 -Lba 3 -BlockCount 1
        $Session.Statistics.CommandsSent - $before | Should -Be 2 # READ CAPACITY, READ
    }

    It 'takes a LUN object that went through serialization' {
        $file = Join-Path $TestDrive 'lun.xml'
        Get-IscsiLun -Session $Session -Lun 1 | Export-Clixml $file
        $read = Import-Clixml $file | Read-IscsiBlock -Lba 0 -BlockCount 1
        $read.Length | Should -Be 512
    }

    It 'shows progress in units, rate and time left, and closes the bar' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-ModuleManifestPath)).AddStatement()
            $null = $ps.AddCommand('Read-IscsiBlock').AddParameters(@{
                    SessionIdentifier = $Session.SessionIdentifier; Lun = 2; Lba = 0; BlockCount = 131072; Path = (Join-Path $TestDrive 'progress.bin')
                    BufferSize = 65536; BufferCount = 2
                })
            $null = $ps.Invoke()
            $ps.HadErrors | Should -BeFalse
            $records = @($ps.Streams.Progress)
            $records.Count | Should -BeGreaterThan 1
            $records[-2].StatusDescription | Should -Match '^Reading: .*(KiB|MiB) of 64.0 MiB, [\d.]+ MB/s$'
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }

    It 'closes its progress bar when stopped' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-ModuleManifestPath)).AddStatement()
            $null = $ps.AddCommand('Read-IscsiBlock').AddParameters(@{
                    SessionIdentifier = $Session.SessionIdentifier; Lun = 2; Lba = 0; BlockCount = (1L -shl 31); Path = (Join-Path $TestDrive 'stopped.bin')
                })
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ($ps.Streams.Progress.Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $ps.Stop()
            $ps.Streams.Progress[-1].RecordType | Should -Be 'Completed'
            $Session.IsConnected | Should -BeTrue
        }
        finally { $ps.Dispose() }
    }

    It 'says on Ctrl+C how much the file kept, and leaves no progress bar behind' {
        # A real console: an interactive pwsh in a tmux pane, stopped with the keystroke a user would type.
        $out = Join-Path $TestDrive 'ctrl-c.bin'
        $pane = "iscsimodule-ctrlc-$PID"
        $line = "Import-Module '$(Get-ModuleManifestPath)'; `$s = Connect-IscsiTarget -NodeAddress $($Target.DiskIqn) -TargetPortalAddress $($Target.Host) " +
            "-TargetPortalPortNumber $($Target.Port); Read-IscsiBlock -Session `$s -Lun 2 -Lba 0 -BlockCount 2147483648 -Path '$out'"
        & tmux new-session -d -s $pane -x 200 -y 50 "cd '$(Get-RepositoryRoot)' && dotnet pwsh -NoProfile"
        try {
            $screen = { (& tmux capture-pane -p -J -t $pane) -join "`n" }
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((& $screen) -notmatch 'PS .*>' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
            & tmux send-keys -t $pane $line Enter
            $deadline = [DateTime]::UtcNow.AddSeconds(60) # each step gets its own minute: CI machines are shared
            while (-not ((Test-Path $out) -and (Get-Item $out).Length -ge 8MB) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            (Get-Item $out).Length | Should -BeGreaterOrEqual 8MB
            & tmux send-keys -t $pane C-c
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((& $screen) -notmatch '(?s)keeps the first.*PS .*>' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
            $text = & $screen
            $kept = (Get-Item $out).Length
            $text | Should -Match "WARNING: The read on LUN 2 of $([regex]::Escape($Target.DiskIqn)) was stopped: LBA 0-\d+ read, LBA \d+-2147483647 not read; .* keeps the first $kept bytes"
            $text | Should -Not -Match 'Reading: ' # the progress bar is gone
        }
        finally { & tmux kill-session -t $pane 2>$null }
    }

    It 'fails with SessionNotFound for an unknown session identifier' {
        $null = Read-IscsiBlock -SessionIdentifier '000000000000-0000' -Lun 1 -Lba 0 -BlockCount 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'SessionNotFound,IscsiModule.Commands.ReadIscsiBlockCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
