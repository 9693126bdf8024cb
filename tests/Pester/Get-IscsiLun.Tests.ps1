#Requires -Modules Pester
Describe 'Get-IscsiLun' {
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

    It 'describes every LUN the target script created' {
        $luns = @($Session | Get-IscsiLun)
        ($luns.Lun -join ',') | Should -Be '0,1,2,3,4'
        $lun1 = $luns | Where-Object Lun -eq 1
        $lun1 | Should -BeOfType 'IscsiModule.IscsiLun'
        $lun1.DeviceType | Should -Be 'DirectAccessBlock'
        $lun1.BlockSize | Should -Be $Target.Lun1BlockSize
        $lun1.BlockCount | Should -Be $Target.Lun1Blocks
        $lun1.Size | Should -Be ($Target.Lun1BlockSize * $Target.Lun1Blocks)
        ($luns | Where-Object Lun -eq 3).BlockSize | Should -Be 4096
        ($luns | Where-Object Lun -eq 4).WriteProtected | Should -BeTrue
        $lun1.Designators | Should -Not -BeNullOrEmpty
    }

    It 'describes only the LUNs asked for, by SessionIdentifier' {
        $lun = Get-IscsiLun -SessionIdentifier $Session.SessionIdentifier -Lun 3
        $lun.Lun | Should -Be 3
        $lun.SessionIdentifier | Should -Be $Session.SessionIdentifier
    }

    It 'fails with LunNotFound for a LUN the target does not have' {
        $null = Get-IscsiLun -Session $Session -Lun 9 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'LunNotFound,IscsiModule.Commands.GetIscsiLunCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'fails with SessionNotFound for an unknown session identifier' {
        $null = Get-IscsiLun -SessionIdentifier '000000000000-0000' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'SessionNotFound,IscsiModule.Commands.GetIscsiLunCommand'
    }

    It 'fails with SessionClosed on a disconnected session' {
        $closed = Connect-TestDisk $Target
        $closed | Disconnect-IscsiTarget -Confirm:$false
        $null = $closed | Get-IscsiLun -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'SessionClosed,IscsiModule.Commands.GetIscsiLunCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }
}
