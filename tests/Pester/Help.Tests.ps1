#Requires -Modules Pester
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-IscsiModuleUnderTest
    $Cmdlets = @(Get-Command -Module IscsiModule -CommandType Cmdlet | ForEach-Object Name)
}

Describe 'Help' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-IscsiModuleUnderTest
        $Common = [System.Management.Automation.Cmdlet]::CommonParameters
        $ModuleDir = Split-Path (Get-Module IscsiModule).Path
    }

    It 'every exported cmdlet has a page, and there are 17' {
        $names = @(Get-Command -Module IscsiModule -CommandType Cmdlet | ForEach-Object Name)
        $names | Should -HaveCount 17
        foreach ($name in $names) { Join-Path (Get-RepositoryRoot) 'docs' 'cmdlets' "$name.md" | Should -Exist }
    }

    It '<_> has a synopsis (not its syntax), a description and at least two examples' -ForEach $Cmdlets {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^$_ \[" # Get-Help falls back to the syntax when there is no help
        ($help.description.Text -join ' ') | Should -Match '\w{4,}'
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $help.examples.example) { $example.code | Should -Not -BeNullOrEmpty }
    }

    It '<_> describes every parameter' -ForEach $Cmdlets {
        $name = $_
        $own = (Get-Command $name).Parameters.Keys | Where-Object { $_ -notin $Common }
        foreach ($parameter in $own) {
            $help = Get-Help $name -Parameter $parameter
            ($help.description.Text -join ' ') | Should -Match '\w{3,}' -Because "-$parameter of $name needs a description"
        }
    }

    It 'Get-Help -Examples shows the code' {
        Get-Help Read-IscsiBlock -Examples | Out-String | Should -Match 'Format-Hex'
    }

    It 'about_IscsiModule is plain help text, not markdown' {
        $text = Get-Help about_IscsiModule | Out-String
        $text | Should -Match 'TOPIC\s+about_IscsiModule'
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Not -Match '```'
        $text | Should -Not -Match '(?m)^#'
        $text | Should -Not -Match '\|---'
        $text | Should -Not -Match '`'
    }

    It 'the built module carries the MAML and the about topic' {
        Join-Path $ModuleDir 'en-US' 'IscsiModule.dll-Help.xml' | Should -Exist
        Join-Path $ModuleDir 'en-US' 'about_IscsiModule.help.txt' | Should -Exist
        [xml](Get-Content -Raw (Join-Path $ModuleDir 'en-US' 'IscsiModule.dll-Help.xml')) | Should -Not -BeNullOrEmpty
    }

    It 'the pages'' SYNTAX sections match the cmdlets (run tools/HelpBuilder.psm1 Update-CmdletPageSyntax after changing parameters)' {
        Import-Module (Join-Path (Get-RepositoryRoot) 'tools' 'HelpBuilder.psm1') -Force
        $stale = Update-CmdletPageSyntax -ModuleName IscsiModule -PagesPath (Join-Path (Get-RepositoryRoot) 'docs' 'cmdlets') -WhatIf
        $stale | Should -BeNullOrEmpty
    }
}
