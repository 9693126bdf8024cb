#Requires -Modules Pester
Describe 'Test-IscsiSession' {
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

    It 'returns one result per ping with a round-trip time' {
        $results = @(Test-IscsiSession -Session $Session -Count 3 -Delay 0)
        $results | Should -HaveCount 3
        $results[0] | Should -BeOfType 'IscsiModule.IscsiSessionTestResult'
        $results.Success | Should -Not -Contain $false
        ($results.Sequence -join ',') | Should -Be '1,2,3'
        $results[0].RoundTripTime | Should -BeGreaterThan ([timespan]::Zero)
    }

    It 'returns a single boolean with -Quiet' {
        Test-IscsiSession -SessionIdentifier $Session.SessionIdentifier -Count 1 -Quiet | Should -BeTrue
    }

    It 'reports failure, not an error, for a closed session' {
        $closed = Connect-TestDisk $Target
        $closed | Disconnect-IscsiTarget -Confirm:$false
        $r = Test-IscsiSession -Session $closed -Count 1 -ErrorVariable failures
        $r.Success | Should -BeFalse
        $r.Error | Should -Match 'closed'
        $failures | Should -HaveCount 0
    }

    It 'fails with SessionNotFound for an unknown identifier' {
        Test-IscsiSession -SessionIdentifier '000000000000-0000' -Count 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'SessionNotFound,IscsiModule.Commands.TestIscsiSessionCommand'
    }
}
