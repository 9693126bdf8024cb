#Requires -Modules Pester
# The default views at 80 columns: no wrapped headers, no column lost, nested objects as text, one way to write ASC/ASCQ.
Describe 'Formatting' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Target = Start-IscsiTestTarget
        $Session = Connect-TestDisk $Target
        function Show { param([Parameter(ValueFromPipeline)] $InputObject) end { ($input | Out-String -Width 80) -split "`n" | ForEach-Object TrimEnd } }
        # The header row and the dashes under it: a wrapped header shows as a second header line before the dashes.
        function Get-Header { param([string[]] $Lines) $i = [array]::IndexOf(@($Lines | ForEach-Object { $_ -match '^[\s-]+$' -and $_ -match '-' }), $true); $Lines[0..($i - 1)] | Where-Object { $_ } }
    }

    AfterAll {
        Clear-IscsiTestSessions
        if ($Target) { Stop-IscsiTestTarget $Target }
    }

    It 'Get-IscsiSession fits 80 columns with one header line' {
        $lines = $Session | Show
        @(Get-Header $lines) | Should -HaveCount 1
        ($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
        ($lines -join "`n") | Should -Match ([regex]::Escape($Target.DiskIqn))
        ($lines -join "`n") | Should -Match 'LoggedIn'
    }

    It 'Get-IscsiSession | Format-List shows Negotiated and Statistics as text' {
        $text = ($Session | Format-List | Show) -join "`n"
        $text | Should -Match 'Negotiated\s+: HeaderDigest=None DataDigest=None MaxRecv='
        $text | Should -Match 'Statistics\s+: \d+ commands'
        $text | Should -Not -Match 'Iscsi\.NegotiatedParameters|IscsiSessionStatistics'
        "$($Session.Negotiated)" | Should -Match '^HeaderDigest='
    }

    It 'Get-IscsiLun keeps WP and Thin at 80 columns' {
        $lines = Get-IscsiLun -Session $Session | Show
        $header = @(Get-Header $lines)
        $header | Should -HaveCount 1
        $header[0] | Should -Match '\bWP\b'
        $header[0] | Should -Match '\bThin\b'
        ($lines | Where-Object { $_ -match '…' }) | Should -BeNullOrEmpty
        ($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
        ($lines -join "`n") | Should -Match '64\.0 MiB'
    }

    It 'a ScsiResult table keeps DataIn, Residual and the duration, and writes ASC/ASCQ as 21h/00h' {
        $r = Invoke-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]](0x28, 0, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 1, 0)) -DataInLength 512 -SkipStatusCheck
        $lines = $r | Show
        $header = @(Get-Header $lines)
        $header | Should -HaveCount 1
        foreach ($column in 'DataIn', 'Residual', 'ms', 'Sense') { $header[0] | Should -Match "\b$column\b" }
        ($lines -join "`n") | Should -Match 'under 512'
        ($lines -join "`n") | Should -Match '21h/00h'
        ($r | Format-List | Show) -join "`n" | Should -Match 'IllegalRequest 21h/00h LOGICAL BLOCK ADDRESS OUT OF RANGE'
        $r.Sense.AscAscq | Should -Be '21h/00h'
        ($r.Sense | Show) -join "`n" | Should -Match 'AscAscq\s+: 21h/00h'
        "$($r.Sense)" | Should -Match '^IllegalRequest 21h/00h'
    }

    It 'task handles fit with one header line' {
        $task = Start-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]]::new(6))
        $null = $task | Wait-ScsiCommand
        @(Get-Header ($task | Show)) | Should -HaveCount 1
    }
}
