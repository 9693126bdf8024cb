#Requires -Modules Pester
Describe 'New-IscsiTargetPortal' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Target = Start-IscsiTestTarget
    }

    AfterAll {
        Clear-IscsiTestSessions
        if ($Target) { Stop-IscsiTestTarget $Target }
    }

    It 'remembers a portal that answers discovery' {
        $portal = New-IscsiTargetPortal -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port
        $portal | Should -BeOfType 'IscsiModule.IscsiTargetPortal'
        $portal.TargetPortalAddress | Should -Be $Target.Host
        $portal.TargetPortalPortNumber | Should -Be $Target.Port
        $portal.AuthenticationType | Should -Be 'None'
        (Get-IscsiTargetPortal -TargetPortalAddress $Target.Host).TargetPortalPortNumber | Should -Be $Target.Port
    }

    It 'shows the CHAP user name but never the secret' {
        $cred = New-TestCredential -UserName $Target.ChapUser -Secret $Target.ChapSecret
        $portal = New-IscsiTargetPortal -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -Credential $cred
        $portal.ChapUserName | Should -Be $Target.ChapUser
        ($portal | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($Target.ChapSecret))
    }

    It 'fails with PortalUnreachable for a closed port' {
        $null = New-IscsiTargetPortal -TargetPortalAddress 127.0.0.1 -TargetPortalPortNumber 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'PortalUnreachable,IscsiModule.Commands.NewIscsiTargetPortalCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        Get-IscsiTargetPortal -TargetPortalPortNumber 1 | Should -BeNullOrEmpty
    }

    It 'does nothing under -WhatIf: no discovery login, nothing remembered' {
        # A closed port: had anything been sent, this would fail with PortalUnreachable.
        $out = New-IscsiTargetPortal -TargetPortalAddress 127.0.0.1 -TargetPortalPortNumber 1 -WhatIf -ErrorVariable failures
        $out | Should -BeNullOrEmpty
        $failures | Should -HaveCount 0
        Get-IscsiTargetPortal -TargetPortalPortNumber 1 | Should -BeNullOrEmpty
    }
}
