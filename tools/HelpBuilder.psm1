# Builds the module's help without platyPS (which no registry serves here): MAML for the cmdlets from the pages in
# docs/cmdlets (platyPS' markdown format) plus the live cmdlet metadata, and a plain-text about topic from
# docs/about_IscsiModule.md. build.ps1 runs it in a pwsh of its own, which imports the freshly built module.
#
# The syntax, parameter sets, positions, pipeline input and types come from the cmdlets themselves (so help never
# disagrees with the code); the words come from the pages. A parameter without words on its page is an error: the
# build fails rather than ship a parameter Get-Help cannot explain.
Set-StrictMode -Version Latest

# -WhatIf and -Confirm are documented on each page like the cmdlet's own parameters (as platyPS does); the rest of
# the common parameters are described once, in about_CommonParameters.
$script:CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

# ---- markdown reading -------------------------------------------------------------------------------------------

# Splits a page into its "## " sections: name -> lines.
function Get-PageSection {
    param([string[]] $Lines)
    $sections = [ordered]@{}
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^## (.+)$') {
            $current = $Matches[1].Trim()
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($null -ne $current) { $sections[$current].Add($line) }
    }
    $sections
}

# Splits section lines into "### " subsections: title -> lines (in order).
function Get-SubSection {
    param([System.Collections.Generic.List[string]] $Lines)
    $subs = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^### (.+)$') {
            $current = [pscustomobject]@{ Title = $Matches[1].Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $subs.Add($current)
            continue
        }
        if ($null -ne $current) { $current.Lines.Add($line) }
    }
    $subs
}

# Inline markdown to plain text: `code` -> code, [text](url) -> text (url) for absolute links, text otherwise.
function ConvertFrom-InlineMarkdown {
    param([string] $Text)
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\((https?://[^)]+)\)', '$1 ($2)')
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\([^)]*\)', '$1')
    $Text = $Text -replace '`', ''
    $Text = $Text -replace '\*\*([^*]+)\*\*', '$1'
    $Text = $Text -replace '&lt;', '<' -replace '&gt;', '>'
    $Text
}

# The prose of some lines as paragraphs (blank-line separated), fenced code and yaml blocks left out.
function Get-Paragraph {
    param([System.Collections.Generic.IEnumerable[string]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') {
            $inFence = -not $inFence
            continue
        }
        if ($inFence) { continue }
        if ([string]::IsNullOrWhiteSpace($line)) {
            if ($buffer.Count) { $paragraphs.Add((ConvertFrom-InlineMarkdown ($buffer -join ' '))); $buffer.Clear() }
            continue
        }
        $buffer.Add($line.Trim())
    }
    if ($buffer.Count) { $paragraphs.Add((ConvertFrom-InlineMarkdown ($buffer -join ' '))) }
    , $paragraphs.ToArray()
}

# The content of the first fenced block in the lines.
function Get-FencedBlock {
    param([System.Collections.Generic.IEnumerable[string]] $Lines)
    $inFence = $false
    $block = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $Lines) {
        if ($line -match '^```') {
            if ($inFence) { return ($block -join "`n") }
            $inFence = $true
            continue
        }
        if ($inFence) { $block.Add($line) }
    }
    $null
}

# Everything a page says, in a form the MAML writer takes.
function Read-CmdletPage {
    param([Parameter(Mandatory)] [string] $Path)
    $lines = Get-Content -LiteralPath $Path
    $sections = Get-PageSection $lines
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.Contains($required)) { throw "$Path has no '## $required' section." }
    }
    $parameters = @{}
    foreach ($sub in Get-SubSection $sections['PARAMETERS']) {
        if ($sub.Title -notmatch '^-(\w+)$') { continue } # CommonParameters
        $parameters[$Matches[1]] = Get-Paragraph $sub.Lines
    }
    $examples = foreach ($sub in Get-SubSection $sections['EXAMPLES']) {
        # The code is the example's fenced block; its remarks are the prose around it.
        [pscustomobject]@{ Title = $sub.Title; Code = Get-FencedBlock $sub.Lines; Remarks = Get-Paragraph $sub.Lines }
    }
    $typed = {
        param($name)
        if (-not $sections.Contains($name)) { return @() }
        foreach ($sub in Get-SubSection $sections[$name]) { [pscustomobject]@{ Type = $sub.Title; Description = Get-Paragraph $sub.Lines } }
    }
    $links = if ($sections.Contains('RELATED LINKS')) {
        foreach ($line in $sections['RELATED LINKS']) {
            if ($line -match '\[([^\]]+)\]\(([^)]*)\)') {
                [pscustomobject]@{ Text = $Matches[1]; Uri = if ($Matches[2] -match '^https?://') { $Matches[2] } else { '' } }
            }
        }
    }
    [pscustomobject]@{
        Synopsis    = (Get-Paragraph $sections['SYNOPSIS']) -join ' '
        Description = Get-Paragraph $sections['DESCRIPTION']
        Examples    = @($examples)
        Parameters  = $parameters
        Inputs      = @(& $typed 'INPUTS')
        Outputs     = @(& $typed 'OUTPUTS')
        Notes       = if ($sections.Contains('NOTES')) { Get-Paragraph $sections['NOTES'] } else { @() }
        Links       = @($links)
    }
}

# ---- MAML writing -----------------------------------------------------------------------------------------------

$script:Maml = 'http://schemas.microsoft.com/maml/2004/10'
$script:Command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:Dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

function Write-Para {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs)
    foreach ($p in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $script:Maml, $p) }
}

function Write-Description {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs)
    $Writer.WriteStartElement('maml', 'description', $script:Maml)
    Write-Para $Writer $Paragraphs
    $Writer.WriteEndElement()
}

function Get-PipelineInputText {
    param($Attributes)
    $how = @()
    if ($Attributes | Where-Object ValueFromPipeline) { $how += 'ByValue' }
    if ($Attributes | Where-Object ValueFromPipelineByPropertyName) { $how += 'ByPropertyName' }
    if ($how) { "True ($($how -join ', '))" } else { 'False' }
}

function Get-TypeName {
    param([type] $Type)
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $underlying = [Nullable]::GetUnderlyingType($element)
    if ($underlying) { $element = $underlying }
    $name = $element.Name
    if ($Type.IsArray) { "$name[]" } else { $name }
}

# One <command:parameter>, in a syntax item (for one parameter set) or in the parameters list (all sets).
function Write-Parameter {
    param([System.Xml.XmlWriter] $Writer, $Parameter, [string[]] $Description, [bool] $Required, [string] $Position,
        [string] $PipelineInput, [string] $DefaultValue, [bool] $InSyntax)
    $typeName = Get-TypeName $Parameter.ParameterType
    $isSwitch = $typeName -eq 'SwitchParameter'
    $Writer.WriteStartElement('command', 'parameter', $script:Command)
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', 'true')
    $globbing = [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $Writer.WriteAttributeString('globbing', $globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $PipelineInput)
    $Writer.WriteAttributeString('position', $Position)
    $aliases = @($Parameter.Aliases)
    $Writer.WriteAttributeString('aliases', $(if ($aliases.Count) { $aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $script:Maml, $Parameter.Name)
    Write-Description $Writer $Description
    if (-not ($InSyntax -and $isSwitch)) {
        $Writer.WriteStartElement('command', 'parameterValue', $script:Command)
        $Writer.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($typeName)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $script:Dev)
    $Writer.WriteElementString('maml', 'name', $script:Maml, $typeName)
    $Writer.WriteElementString('maml', 'uri', $script:Maml, '')
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $script:Dev, $DefaultValue)
    $Writer.WriteEndElement()
}

function Write-TypeList {
    param([System.Xml.XmlWriter] $Writer, [string] $ListName, [string] $ItemName, $Items)
    $Writer.WriteStartElement('command', $ListName, $script:Command)
    foreach ($item in $Items) {
        $Writer.WriteStartElement('command', $ItemName, $script:Command)
        $Writer.WriteStartElement('dev', 'type', $script:Dev)
        $Writer.WriteElementString('maml', 'name', $script:Maml, $item.Type)
        $Writer.WriteEndElement()
        Write-Description $Writer $item.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

# The default value a page's yaml block gives for a parameter, else None.
function Get-DefaultValue {
    param([string] $PagePath, [string] $ParameterName)
    $text = Get-Content -Raw -LiteralPath $PagePath
    $pattern = "(?ms)^### -$([regex]::Escape($ParameterName))\s*$.*?^Default value:\s*(.*?)\s*$"
    if ($text -match $pattern -and $Matches[1]) { return $Matches[1] }
    'None'
}

function Write-CommandHelp {
    param([System.Xml.XmlWriter] $Writer, [System.Management.Automation.CommandInfo] $Command, $Page, [string] $PagePath)
    $verb, $noun = $Command.Name -split '-', 2
    $Writer.WriteStartElement('command', 'command', $script:Command)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $script:Maml)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $script:Dev)

    $Writer.WriteStartElement('command', 'details', $script:Command)
    $Writer.WriteElementString('command', 'name', $script:Command, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $script:Command, $verb)
    $Writer.WriteElementString('command', 'noun', $script:Command, $noun)
    Write-Description $Writer @($Page.Synopsis)
    $Writer.WriteEndElement()

    Write-Description $Writer $Page.Description

    $own = $Command.Parameters.Values | Where-Object { $_.Name -notin $script:CommonParameters } | Sort-Object Name
    foreach ($p in $own) {
        if (-not $Page.Parameters.ContainsKey($p.Name) -or -not $Page.Parameters[$p.Name]) {
            throw "$PagePath does not describe parameter -$($p.Name) of $($Command.Name) (a '### -$($p.Name)' section with text)."
        }
    }

    $Writer.WriteStartElement('command', 'syntax', $script:Command)
    foreach ($set in $Command.ParameterSets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $script:Command)
        $Writer.WriteElementString('maml', 'name', $script:Maml, $Command.Name)
        $inSet = $set.Parameters | Where-Object { $_.Name -notin $script:CommonParameters } |
            Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } }, @{ Expression = { -not $_.IsMandatory } }, Name
        foreach ($p in $inSet) {
            $position = if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }
            $pipeline = Get-PipelineInputText @([pscustomobject]@{ ValueFromPipeline = $p.ValueFromPipeline; ValueFromPipelineByPropertyName = $p.ValueFromPipelineByPropertyName })
            Write-Parameter $Writer $Command.Parameters[$p.Name] $Page.Parameters[$p.Name] $p.IsMandatory $position $pipeline 'None' $true
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $script:Command)
    foreach ($p in $own) {
        $attributes = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $required = [bool]($attributes | Where-Object Mandatory)
        $positions = @($attributes | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Select-Object -Unique)
        $position = if ($positions.Count) { "$($positions[0])" } else { 'named' }
        Write-Parameter $Writer $p $Page.Parameters[$p.Name] $required $position (Get-PipelineInputText $attributes) (Get-DefaultValue $PagePath $p.Name) $false
    }
    $Writer.WriteEndElement()

    Write-TypeList $Writer 'inputTypes' 'inputType' $Page.Inputs
    Write-TypeList $Writer 'returnValues' 'returnValue' $Page.Outputs

    $Writer.WriteStartElement('maml', 'alertSet', $script:Maml)
    $Writer.WriteStartElement('maml', 'alert', $script:Maml)
    Write-Para $Writer $Page.Notes
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $script:Command)
    foreach ($example in $Page.Examples) {
        $Writer.WriteStartElement('command', 'example', $script:Command)
        $Writer.WriteElementString('maml', 'title', $script:Maml, "-------------------------- $($example.Title) --------------------------")
        $Writer.WriteElementString('dev', 'code', $script:Dev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $script:Dev)
        Write-Para $Writer $example.Remarks
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $script:Command)
    foreach ($link in $Page.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $script:Maml)
        $Writer.WriteElementString('maml', 'linkText', $script:Maml, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $script:Maml, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

<#
.SYNOPSIS
    Writes <OutputPath>/<Module>.dll-Help.xml (MAML) for every cmdlet the module exports, from docs/cmdlets pages.
#>
function New-MamlHelp {
    param(
        [Parameter(Mandatory)] [string] $ModuleName,
        [Parameter(Mandatory)] [string] $PagesPath,
        [Parameter(Mandatory)] [string] $OutputFile
    )
    $commands = Get-Command -Module $ModuleName -CommandType Cmdlet | Sort-Object Name
    if (-not $commands) { throw "Module $ModuleName exports no cmdlets: import it first." }
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $writer = [System.Xml.XmlWriter]::Create($OutputFile, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $commands) {
            $pagePath = Join-Path $PagesPath "$($command.Name).md"
            if (-not (Test-Path -LiteralPath $pagePath)) { throw "No help page $pagePath for cmdlet $($command.Name)." }
            Write-CommandHelp $writer $command (Read-CmdletPage $pagePath) $pagePath
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
    $commands.Count
}

# ---- about topic ------------------------------------------------------------------------------------------------

# Markdown table rows -> aligned text columns.
function Format-MarkdownTable {
    param([string[]] $Rows, [string] $Indent)
    $cells = foreach ($row in $Rows) {
        if ($row -match '^\s*\|?\s*:?-{3,}') { continue } # the separator row
        , @(($row.Trim().Trim('|') -split '\|') | ForEach-Object { ConvertFrom-InlineMarkdown $_.Trim() })
    }
    $widths = @()
    foreach ($r in $cells) { for ($i = 0; $i -lt $r.Count; $i++) { if ($widths.Count -le $i) { $widths += 0 }; $widths[$i] = [math]::Max($widths[$i], $r[$i].Length) } }
    if ($Indent.Length + ($widths | Measure-Object -Sum).Sum + 2 * ($widths.Count - 1) -gt 80) {
        # Too wide for a terminal: each row as its first cell, the others wrapped beneath it.
        $header = $cells[0]
        foreach ($r in $cells | Select-Object -Skip 1) {
            $Indent + $r[0]
            $rest = for ($i = 1; $i -lt $r.Count; $i++) { if ($r[$i]) { if ($i -lt $header.Count -and $r.Count -gt 2) { "$($header[$i]): $($r[$i])" } else { $r[$i] } } }
            Format-Prose ($rest -join '; ') ($Indent + '    ')
        }
        return
    }
    $first = $true
    foreach ($r in $cells) {
        $Indent + ((0..($r.Count - 1) | ForEach-Object { $r[$_].PadRight($widths[$_]) }) -join '  ').TrimEnd()
        if ($first) { $Indent + (($widths | ForEach-Object { '-' * $_ }) -join '  '); $first = $false }
    }
}

# Wraps prose at 80 columns with an indent.
function Format-Prose {
    param([string] $Text, [string] $Indent, [int] $Width = 80)
    $line = $Indent
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if ($line.Length + $word.Length + 1 -gt $Width -and $line.Trim()) { $line.TrimEnd(); $line = $Indent }
        $line += "$word "
    }
    if ($line.Trim()) { $line.TrimEnd() }
}

<#
.SYNOPSIS
    Turns an about_*.md page into the plain-text about_*.help.txt Get-Help shows: upper-case headings, indented prose
    wrapped at 80 columns, code indented, tables aligned, no markdown syntax left.
#>
function ConvertTo-AboutHelpText {
    param([Parameter(Mandatory)] [string] $Path)
    $lines = Get-Content -LiteralPath $Path
    $out = [System.Collections.Generic.List[string]]::new()
    $paragraph = [System.Collections.Generic.List[string]]::new()
    $table = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    $flush = {
        if ($paragraph.Count) { foreach ($l in Format-Prose ($paragraph -join ' ') '    ') { $out.Add($l) }; $out.Add(''); $paragraph.Clear() }
        if ($table.Count) { foreach ($l in Format-MarkdownTable $table.ToArray() '    ') { $out.Add($l) }; $out.Add(''); $table.Clear() }
    }
    foreach ($line in $lines) {
        if ($line -match '^```') {
            & $flush
            if ($inFence) { $out.Add('') }
            $inFence = -not $inFence
            continue
        }
        if ($inFence) { $out.Add("        $line".TrimEnd()); continue }
        if ($line -match '^# (about_\w+)') { $out.Add('TOPIC'); $out.Add("    $($Matches[1])"); $out.Add(''); continue }
        if ($line -match '^## (.+)$') { & $flush; $out.Add($Matches[1].Trim().ToUpperInvariant()); continue }
        if ($line -match '^### (.+)$') { & $flush; $out.Add("  $((ConvertFrom-InlineMarkdown $Matches[1].Trim()).ToUpperInvariant())"); continue }
        if ($line -match '^\s*\|') { if ($paragraph.Count) { & $flush }; $table.Add($line); continue }
        if ([string]::IsNullOrWhiteSpace($line)) { & $flush; continue }
        if ($table.Count) { & $flush }
        $paragraph.Add((ConvertFrom-InlineMarkdown $line.Trim()))
    }
    & $flush
    ($out -join [Environment]::NewLine).TrimEnd() + [Environment]::NewLine
}

# ---- keeping the pages' SYNTAX true ------------------------------------------------------------------------------

# The SYNTAX section a page should have: PowerShell's own syntax line for each parameter set, default set marked.
function Get-SyntaxSection {
    param([Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command)
    $lines = [System.Collections.Generic.List[string]]::new()
    $sets = @($Command.ParameterSets)
    foreach ($set in $sets) {
        if ($sets.Count -gt 1 -or $set.Name -ne '__AllParameterSets') {
            $name = if ($set.Name -eq '__AllParameterSets') { 'All' } else { $set.Name }
            $lines.Add("### $name$(if ($set.IsDefault -and $sets.Count -gt 1) { ' (Default)' })")
        }
        $lines.Add('```')
        $lines.Add("$($Command.Name) $set")
        $lines.Add('```')
        $lines.Add('')
    }
    $lines.ToArray()
}

<#
.SYNOPSIS
    Rewrites the SYNTAX section of every page in -PagesPath from the live cmdlets (run after changing parameters).
    Returns the names of the pages it changed.
#>
function Update-CmdletPageSyntax {
    param([Parameter(Mandatory)] [string] $ModuleName, [Parameter(Mandatory)] [string] $PagesPath, [switch] $WhatIf)
    foreach ($command in Get-Command -Module $ModuleName -CommandType Cmdlet | Sort-Object Name) {
        $path = Join-Path $PagesPath "$($command.Name).md"
        $lines = Get-Content -LiteralPath $path
        $start = [array]::IndexOf($lines, '## SYNTAX')
        $end = [array]::IndexOf($lines, '## DESCRIPTION')
        if ($start -lt 0 -or $end -lt $start) { throw "$path has no '## SYNTAX' followed by '## DESCRIPTION'." }
        $new = @($lines[0..$start]) + '' + (Get-SyntaxSection $command) + @($lines[$end..($lines.Count - 1)])
        if (($new -join "`n") -ne ($lines -join "`n")) {
            if (-not $WhatIf) { Set-Content -LiteralPath $path -Value $new -Encoding utf8NoBOM }
            $command.Name
        }
    }
}

Export-ModuleMember -Function New-MamlHelp, ConvertTo-AboutHelpText, Read-CmdletPage, Update-CmdletPageSyntax
