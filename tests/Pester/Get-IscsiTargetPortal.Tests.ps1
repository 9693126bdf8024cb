#Requires -Modules Pester
Describe 'Get-IscsiTargetPortal' {
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
        Get-IscsiTargetPortal | Remove-IscsiTargetPortal -Confirm:$false
        $null = New-IscsiTargetPortal -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port
    }

    It 'lists the remembered portals' {
        $all = @(Get-IscsiTargetPortal)
        $all | Should -HaveCount 1
        $all[0].TargetPortalAddress | Should -Be $Target.Host
    }

    It 'filters by address with wildcards and by port' {
        @(Get-IscsiTargetPortal -TargetPortalAddress '127.0.*') | Should -HaveCount 1
        @(Get-IscsiTargetPortal -TargetPortalAddress '10.*') | Should -HaveCount 0
        @(Get-IscsiTargetPortal -TargetPortalPortNumber ($Target.Port + 1)) | Should -HaveCount 0
    }

    It 'returns nothing and no error when no portal is remembered' {
        Get-IscsiTargetPortal | Remove-IscsiTargetPortal -Confirm:$false
        $result = Get-IscsiTargetPortal -ErrorVariable failures
        $result | Should -BeNullOrEmpty
        $failures | Should -HaveCount 0
    }
}
