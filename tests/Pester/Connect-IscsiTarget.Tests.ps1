#Requires -Modules Pester
Describe 'Connect-IscsiTarget' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Target = Start-IscsiTestTarget
    }

    AfterAll {
        Clear-IscsiTestSessions
        if ($Target) { Stop-IscsiTestTarget $Target }
    }

    AfterEach {
        Get-IscsiSession | Disconnect-IscsiTarget -Confirm:$false
    }

    It 'logs in and returns a session object' {
        $s = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port
        $s | Should -BeOfType 'IscsiModule.IscsiSessionInfo'
        $s.SessionIdentifier | Should -Match '^[0-9a-f]{12}-[0-9a-f]{4}$'
        $s.NodeAddress | Should -Be $Target.DiskIqn
        $s.AuthenticationType | Should -Be 'None'
        $s.IsConnected | Should -BeTrue
        $s.IsIdle | Should -BeTrue
        $s.Negotiated.MaxBurstLength | Should -BeGreaterThan 0
    }

    It 'returns the cached session when connecting again, and a new one with -New' {
        $a = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port
        $b = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port
        $c = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -New
        $b.SessionIdentifier | Should -Be $a.SessionIdentifier
        $c.SessionIdentifier | Should -Not -Be $a.SessionIdentifier
        @(Get-IscsiSession) | Should -HaveCount 2
    }

    It 'logs in with mutual CHAP and digests' {
        $me = New-TestCredential -UserName $Target.MutualUser -Secret $Target.MutualSecret
        $them = New-TestCredential -UserName $Target.MutualTargetUser -Secret $Target.MutualTargetSecret
        $s = Connect-IscsiTarget -NodeAddress $Target.MutualIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port `
            -AuthenticationType MutualChap -Credential $me -TargetCredential $them -IsHeaderDigest -IsDataDigest
        $s.AuthenticationType | Should -Be 'MutualChap'
        $s.IsHeaderDigest | Should -BeTrue
        $s.IsDataDigest | Should -BeTrue
    }

    It 'accepts a libiscsi URL' {
        $uri = 'iscsi://{0}%{1}@{2}:{3}/{4}' -f $Target.ChapUser, $Target.ChapSecret, $Target.Host, $Target.Port, $Target.ChapIqn
        $s = Connect-IscsiTarget -Uri $uri
        $s.NodeAddress | Should -Be $Target.ChapIqn
        $s.AuthenticationType | Should -Be 'OneWayChap'
    }

    It 'fails with LoginFailed.0201 for a wrong CHAP secret, without echoing it' {
        $bad = New-TestCredential -UserName $Target.ChapUser -Secret 'wrong-secret-0123456789'
        $null = Connect-IscsiTarget -NodeAddress $Target.ChapIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port `
            -Credential $bad -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'LoginFailed.0201,IscsiModule.Commands.ConnectIscsiTargetCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        ($failures[0] | Out-String) | Should -Not -Match 'wrong-secret'
    }

    It 'never shows the secret of a -Uri with <Mistake>: not in the error record, not on the console' -TestCases @(
        @{ Mistake = 'one slash'; Uri = 'iscsi:/alice%S3cr3t-Pq5@127.0.0.1:P/iqn.2026-11.test:x/1' }
        @{ Mistake = 'no slash'; Uri = 'iscsi:alice%S3cr3t-Pq5@127.0.0.1/iqn.2026-11.test:x/1' }
        @{ Mistake = 'no scheme'; Uri = 'alice%S3cr3t-Pq5@127.0.0.1/iqn.2026-11.test:x/1' }
        @{ Mistake = 'a leading space'; Uri = ' iscsi://alice%S3cr3t-Pq5@127.0.0.1/iqn.2026-11.test:x/1' }
        @{ Mistake = 'a misspelt scheme'; Uri = 'iscs://alice%S3cr3t-Pq5@127.0.0.1/iqn.2026-11.test:x/1' }
    ) {
        param($Mistake, $Uri)
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $null = Start-Transcript -Path $transcript -Force
        try {
            $null = Connect-IscsiTarget -Uri $Uri -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures | Out-Host # the console view of the error, into the transcript
        }
        finally { $null = Stop-Transcript }
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'UrlInvalid,IscsiModule.Commands.ConnectIscsiTargetCommand'
        $failures[0].CategoryInfo.TargetName | Should -Match 'alice%\*\*\*'
        $shown = @($failures[0].Exception.Message, $failures[0].ErrorDetails.Message, [string]$failures[0].TargetObject,
            $failures[0].CategoryInfo.ToString(), ($failures[0] | Format-List * -Force | Out-String), (Get-Content -Raw $transcript))
        foreach ($text in $shown) { $text | Should -Not -Match 'S3cr3t-Pq5' }
    }

    It 'fails with LoginFailed.0203 for an unknown IQN' {
        $null = Connect-IscsiTarget -NodeAddress 'iqn.2026-11.test.iscsimodule:nope' -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port `
            -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'LoginFailed.0203,IscsiModule.Commands.ConnectIscsiTargetCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses MutualChap without -TargetCredential before connecting' {
        $me = New-TestCredential -UserName $Target.MutualUser -Secret $Target.MutualSecret
        $null = Connect-IscsiTarget -NodeAddress $Target.MutualIqn -TargetPortalAddress $Target.Host -AuthenticationType MutualChap -Credential $me `
            -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'TargetCredentialRequired,IscsiModule.Commands.ConnectIscsiTargetCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'fails with PortalUnreachable for a closed port' {
        $null = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress 127.0.0.1 -TargetPortalPortNumber 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'PortalUnreachable,IscsiModule.Commands.ConnectIscsiTargetCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'passes -ReconnectAttempts and -ReconnectTimeoutSec to the session and shows its State' {
        $s = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port `
            -New -ReconnectAttempts 0 -ReconnectTimeoutSec 7
        $s.Session.Options.ReconnectAttempts | Should -Be 0
        $s.Session.Options.ReconnectTimeout | Should -Be ([timespan]::FromSeconds(7))
        $s.State | Should -Be 'LoggedIn'
        $s.Statistics.Reconnects | Should -Be 0
    }

    It 'fails with DigestNotNegotiated, leaving no session, when the target allows only None' {
        $iqn = Add-TestTargetWithoutDigests $Target
        $null = Connect-IscsiTarget -NodeAddress $iqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -IsHeaderDigest `
            -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'DigestNotNegotiated,IscsiModule.Commands.ConnectIscsiTargetCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'NotEnabled'
        $failures[0].Exception.Message | Should -Match 'HeaderDigest=None'
        @(Get-IscsiSession) | Should -HaveCount 0
        # Without the digest the same target logs in.
        (Connect-IscsiTarget -NodeAddress $iqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port).IsHeaderDigest | Should -BeFalse
    }

    It 'does not hand out a cached session made without the digests now asked for' {
        $plain = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port
        $digested = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -IsHeaderDigest -IsDataDigest
        $digested.SessionIdentifier | Should -Not -Be $plain.SessionIdentifier
        $digested.IsHeaderDigest | Should -BeTrue
        $digested.IsDataDigest | Should -BeTrue
        # Asked the same way again, each is handed out again.
        (Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -IsHeaderDigest -IsDataDigest).SessionIdentifier |
            Should -Be $digested.SessionIdentifier
        (Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port).SessionIdentifier |
            Should -Be $plain.SessionIdentifier
    }

    It 'does not hand out a cached session made with another initiator name' {
        $a = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -InitiatorName 'iqn.2026-11.test.iscsimodule:host-a'
        $b = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -InitiatorName 'iqn.2026-11.test.iscsimodule:host-b'
        $b.SessionIdentifier | Should -Not -Be $a.SessionIdentifier
        $b.InitiatorNodeAddress | Should -Be 'iqn.2026-11.test.iscsimodule:host-b'
    }

    It 'writes one warning for a tgtd CHAP login' {
        $chap = New-TestCredential -UserName $Target.ChapUser -Secret $Target.ChapSecret
        $null = Connect-IscsiTarget -NodeAddress $Target.ChapIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port `
            -Credential $chap -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -Match 'MD5'
    }

    It 'leaves no session logged in when its warnings cannot be written' {
        $chap = New-TestCredential -UserName $Target.ChapUser -Secret $Target.ChapSecret
        { Connect-IscsiTarget -NodeAddress $Target.ChapIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port `
                -Credential $chap -WarningAction Stop } | Should -Throw
        @(Get-IscsiSession) | Should -HaveCount 0
    }

    It 'fails with TargetNameInvalid for a malformed IQN, before connecting' {
        $null = Connect-IscsiTarget -NodeAddress 'iqn.bad name' -TargetPortalAddress 127.0.0.1 -TargetPortalPortNumber 1 `
            -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'TargetNameInvalid,IscsiModule.Commands.ConnectIscsiTargetCommand'
        $failures[0].Exception.Message | Should -Match "'iqn.bad name'"
    }

    It 'says NotAnIscsiPortal when something else answers on the port' {
        $service = Start-FakeService -Answer ([Text.Encoding]::ASCII.GetBytes("HTTP/1.1 400 Bad Request`r`nContent-Length: 3223089`r`n`r`n"))
        try {
            $null = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress 127.0.0.1 -TargetPortalPortNumber $service.Port `
                -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -Be 'NotAnIscsiPortal,IscsiModule.Commands.ConnectIscsiTargetCommand'
            $failures[0].Exception.Message | Should -Match 'is not an iSCSI portal'
            $failures[0].Exception.Message | Should -Match '"HTTP/1.1 400 Bad Request'
        }
        finally { Stop-FakeService $service }
    }

    It 'gives up after -LoginTimeoutSec on a portal that never answers' {
        $service = Start-FakeService
        try {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $null = Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress 127.0.0.1 -TargetPortalPortNumber $service.Port `
                -LoginTimeoutSec 1 -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -Be 'Timeout,IscsiModule.Commands.ConnectIscsiTargetCommand'
            $failures[0].Exception.Message | Should -Match 'within 1 s'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10 # the default is 15 s
        }
        finally { Stop-FakeService $service }
    }

    It 'refuses a negative -ReconnectAttempts at binding' {
        { Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -ReconnectAttempts -1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,IscsiModule.Commands.ConnectIscsiTargetCommand'
    }
}
