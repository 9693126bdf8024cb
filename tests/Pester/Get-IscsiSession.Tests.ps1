#Requires -Modules Pester
Describe 'Get-IscsiSession' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Target = Start-IscsiTestTarget
    }

    AfterAll {
        Clear-IscsiTestSessions
        if ($Target) { Stop-IscsiTestTarget $Target }
    }

    Context 'with one session' {
        BeforeAll {
            $Session = Connect-TestDisk $Target
        }

        It 'returns the cached sessions with live state and statistics' {
            $s = Get-IscsiSession -SessionIdentifier $Session.SessionIdentifier
            $s.SessionIdentifier | Should -Be $Session.SessionIdentifier
            $s.IsConnected | Should -BeTrue
            $s.InFlightCount | Should -Be 0
            $s.Statistics.PdusSent | Should -BeGreaterThan 0
        }

        It 'filters with wildcards and -Connected' {
            @(Get-IscsiSession -NodeAddress '*:disk' -Connected) | Should -HaveCount 1
            @(Get-IscsiSession -NodeAddress '*:nothing') | Should -HaveCount 0
            @(Get-IscsiSession -TargetPortalAddress $Target.Host) | Should -HaveCount 1
        }

        It 'is shared with other runspaces' {
            $id = $Session.SessionIdentifier
            $manifest = Join-Path (Get-Module IscsiModule).ModuleBase 'IscsiModule.psd1'
            $seen = 1..2 | ForEach-Object -Parallel {
                Import-Module $using:manifest
                (Get-IscsiSession -SessionIdentifier $using:id).SessionIdentifier
            }
            ($seen -join ',') | Should -Be "$id,$id"
        }

        It 'writes SessionNotFound for an identifier without wildcards that matches nothing' {
            Get-IscsiSession -SessionIdentifier 'ffffffffffff-ffff' -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'SessionNotFound,IscsiModule.Commands.GetIscsiSessionCommand'
            $failures[0].Exception.Message | Should -Match 'ffffffffffff-ffff'
        }

        It 'returns nothing and no error for a pattern that matches nothing' {
            Get-IscsiSession -SessionIdentifier 'ffff*' -ErrorVariable failures | Should -BeNullOrEmpty
            $failures | Should -HaveCount 0
        }

        It 'keeps the caller''s sessions when another runspace removes the module' {
            $manifest = Join-Path (Get-Module IscsiModule).ModuleBase 'IscsiModule.psd1'
            1..2 | ForEach-Object -Parallel {
                Import-Module $using:manifest
                Remove-Module IscsiModule
            }
            $Session.IsConnected | Should -BeTrue
            Get-IscsiSession -SessionIdentifier $Session.SessionIdentifier | Should -Not -BeNullOrEmpty
        }
    }
}
