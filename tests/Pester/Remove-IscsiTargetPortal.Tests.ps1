#Requires -Modules Pester
Describe 'Remove-IscsiTargetPortal' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Target = Start-IscsiTestTarget
    }

    AfterAll {
        Clear-IscsiTestSessions
        if ($Target) { Stop-IscsiTestTarget $Target }
    }

    BeforeEach {
        $null = New-IscsiTargetPortal -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port
    }

    It 'forgets a portal piped from Get-IscsiTargetPortal and passes it through' {
        $removed = Get-IscsiTargetPortal | Remove-IscsiTargetPortal -Confirm:$false -PassThru
        $removed.TargetPortalPortNumber | Should -Be $Target.Port
        Get-IscsiTargetPortal | Should -BeNullOrEmpty
    }

    It 'keeps the portal under -WhatIf' {
        Remove-IscsiTargetPortal -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -WhatIf
        @(Get-IscsiTargetPortal) | Should -HaveCount 1
        Remove-IscsiTargetPortal -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -Confirm:$false
    }

    It 'fails with PortalNotFound for an unknown portal' {
        Remove-IscsiTargetPortal -TargetPortalAddress 192.0.2.1 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'PortalNotFound,IscsiModule.Commands.RemoveIscsiTargetPortalCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-IscsiTargetPortal | Remove-IscsiTargetPortal -Confirm:$false
    }
}
