#Requires -Modules Pester
Describe 'Get-IscsiTarget' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Target = Start-IscsiTestTarget
    }

    AfterAll {
        Clear-IscsiTestSessions
        if ($Target) { Stop-IscsiTestTarget $Target }
    }

    It 'discovers every target of the portal' {
        $targets = @(Get-IscsiTarget -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port)
        $targets | Should -HaveCount 3
        $targets.NodeAddress | Should -Contain $Target.DiskIqn
        $targets.NodeAddress | Should -Contain $Target.ChapIqn
        $targets[0] | Should -BeOfType 'IscsiModule.IscsiTarget'
        $targets[0].TargetPortalPortNumber | Should -Be $Target.Port
    }

    It 'filters by NodeAddress and marks connected targets' {
        $null = Connect-TestDisk $Target
        $disk = Get-IscsiTarget -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -NodeAddress '*:disk'
        $disk.NodeAddress | Should -Be $Target.DiskIqn
        $disk.IsConnected | Should -BeTrue
    }

    It 'pipes into Connect-IscsiTarget by property name' {
        $session = Get-IscsiTarget -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -NodeAddress '*:disk' | Connect-IscsiTarget
        $session.NodeAddress | Should -Be $Target.DiskIqn
        $session.IsConnected | Should -BeTrue
    }

    It 'discovers through remembered portals when no portal is given' {
        $null = New-IscsiTargetPortal -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port
        @(Get-IscsiTarget) | Should -HaveCount 3
        Get-IscsiTargetPortal | Remove-IscsiTargetPortal -Confirm:$false
    }

    It 'fails with NoTargetPortal when there is no portal at all' {
        Get-IscsiTarget -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'NoTargetPortal,IscsiModule.Commands.GetIscsiTargetCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
