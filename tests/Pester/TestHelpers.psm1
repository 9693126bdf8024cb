# Shared by every tests/Pester/*.Tests.ps1: a throwaway tgtd from tests/targets/tgt-target.sh and the built module.
Set-StrictMode -Version Latest

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
$script:ModuleVersion = '0.1.0'

function Get-RepositoryRoot { $script:RepoRoot }

function Get-ModuleManifestPath { Join-Path $script:RepoRoot 'out' 'IscsiModule' $script:ModuleVersion 'IscsiModule.psd1' }

# Imports the module built by `./build.ps1 -Task Build` (out/IscsiModule/<version>/).
function Import-IscsiModuleUnderTest {
    $manifest = Join-Path $script:RepoRoot 'out' 'IscsiModule' $script:ModuleVersion 'IscsiModule.psd1'
    if (-not (Test-Path $manifest)) {
        throw "The module is not built: $manifest is missing. Run ./build.ps1 -Task Build first."
    }
    Import-Module $manifest -Force -Global -ErrorAction Stop
}

# Starts tgtd (standard profile) in a fresh temp directory and returns its target.env as an object:
# Host, Port, DiskIqn, ChapIqn, MutualIqn, ChapUser, ChapSecret, Mutual*, Lun block sizes/counts, WorkDirectory.
function Start-IscsiTestTarget {
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("iscsimodule-pester-" + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $work
    $script = Join-Path $script:RepoRoot 'tests' 'targets' 'tgt-target.sh'
    $output = & bash $script start $work --profile standard 2>&1
    if ($LASTEXITCODE -ne 0) {
        Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
        throw "tgt-target.sh could not start a target (exit $LASTEXITCODE): $($output -join [Environment]::NewLine)"
    }
    $envFile = @{}
    foreach ($line in Get-Content (Join-Path $work 'target.env')) {
        $i = $line.IndexOf('=')
        if ($i -gt 0) { $envFile[$line.Substring(0, $i)] = $line.Substring($i + 1) }
    }
    [pscustomobject]@{
        WorkDirectory      = $work
        Host               = $envFile['HOST']
        Port               = [int]$envFile['PORT']
        DiskIqn            = $envFile['DISK_IQN']
        ChapIqn            = $envFile['CHAP_IQN']
        MutualIqn          = $envFile['MUTUAL_IQN']
        ChapUser           = $envFile['CHAP_USER']
        ChapSecret         = $envFile['CHAP_SECRET']
        MutualUser         = $envFile['MUTUAL_USER']
        MutualSecret       = $envFile['MUTUAL_SECRET']
        MutualTargetUser   = $envFile['MUTUAL_TARGET_USER']
        MutualTargetSecret = $envFile['MUTUAL_TARGET_SECRET']
        Lun1File           = $envFile['DISK_LUN1_FILE']
        Lun1BlockSize      = [int]$envFile['DISK_LUN1_BLOCK_SIZE']
        Lun1Blocks         = [long]$envFile['DISK_LUN1_BLOCKS']
        Lun3BlockSize      = [int]$envFile['DISK_LUN3_BLOCK_SIZE']
        Env                = $envFile
    }
}

# SIGKILLs the target (tgtd ignores SIGTERM while it has targets) and deletes its directory.
function Stop-IscsiTestTarget {
    param([Parameter(Mandatory)] $Target)
    $script = Join-Path $script:RepoRoot 'tests' 'targets' 'tgt-target.sh'
    & bash $script stop $Target.WorkDirectory 2>&1 | Out-Null
    Remove-Item -Recurse -Force $Target.WorkDirectory -ErrorAction SilentlyContinue
}

function New-TestCredential {
    param([Parameter(Mandatory)] [string] $UserName, [Parameter(Mandatory)] [string] $Secret)
    [pscredential]::new($UserName, (ConvertTo-SecureString -String $Secret -AsPlainText -Force))
}

# Connects to the unauthenticated disk target (a new session each time).
function Connect-TestDisk {
    param([Parameter(Mandatory)] $Target)
    IscsiModule\Connect-IscsiTarget -NodeAddress $Target.DiskIqn -TargetPortalAddress $Target.Host -TargetPortalPortNumber $Target.Port -New
}

# Bytes straight from a LUN's backing file (independent of the module).
function Read-BackingFile {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [long] $Offset, [Parameter(Mandatory)] [int] $Count)
    $stream = [System.IO.File]::Open($Path, 'Open', 'Read', 'ReadWrite')
    try {
        $buffer = [byte[]]::new($Count)
        $stream.Position = $Offset
        $read = 0
        while ($read -lt $Count) {
            $n = $stream.Read($buffer, $read, $Count - $read)
            if ($n -eq 0) { break }
            $read += $n
        }
        , $buffer
    }
    finally { $stream.Dispose() }
}

function Write-BackingFile {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [long] $Offset, [Parameter(Mandatory)] [byte[]] $Bytes)
    $stream = [System.IO.File]::Open($Path, 'Open', 'Write', 'ReadWrite')
    try { $stream.Position = $Offset; $stream.Write($Bytes, 0, $Bytes.Length) }
    finally { $stream.Dispose() }
}

function New-RandomBytes {
    param([Parameter(Mandatory)] [int] $Count, [int] $Seed = 1)
    $bytes = [byte[]]::new($Count)
    [System.Random]::new($Seed).NextBytes($bytes)
    , $bytes
}

# Adds a target to a running tgtd (tid 9) whose digests stay at tgtd's default, None only, with one 16 MiB LUN;
# returns its IQN. (tgtd then answers HeaderDigest=None even to an initiator that offers only CRC32C.)
function Add-TestTargetWithoutDigests {
    param([Parameter(Mandatory)] $Target)
    $iqn = 'iqn.2026-11.test.iscsimodule:nodigest'
    $file = Join-Path $Target.WorkDirectory 'nodigest-lun1.img'
    $stream = [System.IO.File]::Create($file); $stream.SetLength(16MB); $stream.Dispose()
    $control = $Target.Env['CONTROL_PORT']
    foreach ($arguments in @(
            @('--mode', 'target', '--op', 'new', '--tid', '9', '--targetname', $iqn),
            @('--mode', 'logicalunit', '--op', 'new', '--tid', '9', '--lun', '1', '--backing-store', $file),
            @('--mode', 'target', '--op', 'bind', '--tid', '9', '--initiator-address', 'ALL'))) {
        $output = & tgtadm --control-port $control --lld iscsi @arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "tgtadm $arguments failed: $output" }
    }
    $iqn
}

# A TCP listener on a free loopback port that answers every connection with $Answer (bytes, none by default) and
# then keeps it open, as a non-iSCSI service (or, with no answer, a hung target) would. Stop it with Stop-FakeService.
function Start-FakeService {
    param([byte[]] $Answer = @())
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $job = Start-ThreadJob -ArgumentList $listener, $Answer -ScriptBlock {
        param($listener, $answer)
        $clients = [System.Collections.Generic.List[object]]::new()
        try {
            while ($true) {
                $client = $listener.AcceptTcpClient()
                $clients.Add($client)
                if ($answer.Length) { $client.GetStream().Write($answer, 0, $answer.Length) }
            }
        }
        catch { } # the listener was stopped
        finally { $clients | ForEach-Object { $_.Dispose() } }
    }
    [pscustomobject]@{ Port = $listener.LocalEndpoint.Port; Listener = $listener; Job = $job }
}

function Stop-FakeService {
    param([Parameter(Mandatory)] $Service)
    $Service.Listener.Stop()
    $Service.Job | Wait-Job -Timeout 5 | Out-Null
    $Service.Job | Remove-Job -Force
}

# Disconnects every cached session quietly (AfterAll).
function Clear-IscsiTestSessions {
    IscsiModule\Get-IscsiSession | IscsiModule\Disconnect-IscsiTarget -Confirm:$false -ErrorAction SilentlyContinue
    IscsiModule\Get-IscsiTargetPortal | IscsiModule\Remove-IscsiTargetPortal -Confirm:$false -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function Get-RepositoryRoot, Import-IscsiModuleUnderTest, Start-IscsiTestTarget, Stop-IscsiTestTarget,
    New-TestCredential, Connect-TestDisk, Read-BackingFile, Write-BackingFile, New-RandomBytes, Clear-IscsiTestSessions,
    Add-TestTargetWithoutDigests, Start-FakeService, Stop-FakeService, Get-ModuleManifestPath
