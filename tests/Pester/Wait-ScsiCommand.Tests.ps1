#Requires -Modules Pester
Describe 'Wait-ScsiCommand' {
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

    It 'returns the result of a started command' {
        $result = Start-ScsiCommand -Session $Session -Lun 1 -Cdb ([byte[]]::new(6)) | Wait-ScsiCommand -TimeoutSec 10 -SkipStatusCheck
        $result | Should -BeOfType 'Iscsi.Scsi.ScsiResult'
    }

    It 'writes a status error for a failed command unless -SkipStatusCheck' {
        $cdb = [byte[]](0x28, 0, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 1, 0)
        $task = Start-ScsiCommand -Session $Session -Lun 1 -Cdb $cdb -DataInLength 512
        $null = $task | Wait-ScsiCommand -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'ScsiCheckCondition.IllegalRequest,IscsiModule.Commands.WaitScsiCommandCommand'
        ($task | Wait-ScsiCommand -SkipStatusCheck).Status | Should -Be 'CheckCondition'
    }

    It 'reports CommandAborted for a task that was aborted before it completed' {
        # Several large reads; abort the whole task set at once, then some of them end aborted.
        $tasks = 1..8 | ForEach-Object { Start-ScsiCommand -Session $Session -Lun 2 -Cdb ([byte[]](0x28, 0, 0, 0, 0, 0, 0, 0x80, 0, 0)) -DataInLength 16777216 }
        $null = Stop-ScsiCommand -Session $Session -Lun 2 -Confirm:$false
        $null = $tasks | Wait-ScsiCommand -SkipStatusCheck -ErrorAction SilentlyContinue -ErrorVariable failures
        foreach ($f in $failures) {
            $f.FullyQualifiedErrorId | Should -BeIn @('CommandAborted,IscsiModule.Commands.WaitScsiCommandCommand')
            $f.CategoryInfo.Category | Should -Be 'OperationStopped'
        }
        (Test-IscsiSession -Session $Session -Count 1 -Quiet) | Should -BeTrue
    }
}
