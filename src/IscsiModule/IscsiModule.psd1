@{
    RootModule           = 'IscsiModule.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0c7a3e-9d2f-4e61-8a4b-2f1c6d9e7a10'
    Author               = 'IscsiModule contributors'
    CompanyName          = 'IscsiModule'
    Copyright            = '(c) IscsiModule contributors. All rights reserved.'
    Description          = 'A userspace iSCSI initiator (RFC 7143) for PowerShell 7: discover targets, log in with CHAP, describe LUNs, read and write blocks, send any SCSI command, abort and reset - no kernel driver, no root.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('IscsiModule.format.ps1xml')
    CmdletsToExport      = @(
        'New-IscsiTargetPortal'
        'Get-IscsiTargetPortal'
        'Remove-IscsiTargetPortal'
        'Get-IscsiTarget'
        'Connect-IscsiTarget'
        'Disconnect-IscsiTarget'
        'Get-IscsiSession'
        'Get-IscsiLun'
        'Invoke-ScsiCommand'
        'Start-ScsiCommand'
        'Wait-ScsiCommand'
        'Stop-ScsiCommand'
        'Reset-IscsiLun'
        'Reset-IscsiTarget'
        'Read-IscsiBlock'
        'Write-IscsiBlock'
        'Test-IscsiSession'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('iSCSI', 'SCSI', 'Storage', 'SAN', 'Block', 'Initiator', 'CHAP', 'Linux', 'Windows', 'MacOS', 'PSEdition_Core')
            LicenseUri   = 'https://github.com/iscsimodule/IscsiModule/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/iscsimodule/IscsiModule'
            ReleaseNotes = '0.1.0: first release. Discovery, CHAP and mutual CHAP login, LUN inventory, block reads and writes with bounded read-ahead and verify, raw CDBs, task handles (abort task / task set), LUN and target resets, NOP ping; one process-wide session cache.'
        }
    }
}
