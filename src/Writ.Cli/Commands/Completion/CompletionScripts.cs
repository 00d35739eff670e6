namespace Writ.Cli.Commands.Completion;

// The scripts `writ completion` prints. Each hands the command line up to the cursor to
// `writ [suggest:<length>] "<line>"` and offers what comes back that starts with the word being
// completed, minus the help aliases nobody types (`-?`, `/?`, `/h`). Where nothing fits (a file
// argument), the shell's own file completion takes over.
internal static class CompletionScripts
{
    public const string Bash = """
        # bash completion for writ. Load it with:  source <(writ completion bash)
        _writ_complete()
        {
            local line="${COMP_LINE:0:COMP_POINT}"
            local word="${COMP_WORDS[COMP_CWORD]}"
            local candidate
            local -a reply=()
            while IFS= read -r candidate; do
                [[ -z $candidate || $candidate == /* || $candidate == '-?' ]] && continue
                [[ $candidate == "$word"* ]] && reply+=("$candidate")
            done < <(command writ "[suggest:${#line}]" "$line" 2>/dev/null)
            COMPREPLY=("${reply[@]}")
        }
        complete -o default -o bashdefault -F _writ_complete writ

        """;

    public const string Zsh = """
        #compdef writ
        # zsh completion for writ. Load it with:  source <(writ completion zsh)   (after compinit)
        _writ_complete()
        {
            local line="${(j: :)words[1,CURRENT]}"
            local -a candidates
            candidates=("${(@f)$(command writ "[suggest:${#line}]" "$line" 2>/dev/null)}")
            candidates=(${candidates:#/*})
            candidates=(${candidates:#-\?})
            candidates=(${(M)candidates:#${(b)PREFIX}*})
            if (( ${#candidates} )); then
                compadd -- "${candidates[@]}"
            else
                _files
            fi
        }
        compdef _writ_complete writ

        """;

    public const string Fish = """
        # fish completion for writ. Load it with:  writ completion fish | source
        function __writ_complete
            set -l line (commandline -cp)
            set -l token (commandline -ct)
            set -l candidates (command writ "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null | string match -v -r '^(/|-\?$)' | string match -r -- '^'(string escape --style=regex -- "$token")'.*')
            if test (count $candidates) -gt 0
                printf '%s\n' $candidates
            else
                __fish_complete_path "$token"
            end
        end
        complete -c writ -f -a '(__writ_complete)'

        """;

    public const string PowerShell = """
        # PowerShell completion for writ. Load it with:  writ completion pwsh | Out-String | Invoke-Expression
        Register-ArgumentCompleter -Native -CommandName writ, writ.exe -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            $line = $commandAst.ToString()
            $length = $cursorPosition - $commandAst.Extent.StartOffset
            if ($length -gt $line.Length) { $line = $line.PadRight($length) } else { $line = $line.Substring(0, $length) }
            & writ "[suggest:$length]" $line 2>$null |
                Where-Object { $_ -and $_ -notmatch '^(/|-\?$)' -and $_.StartsWith($wordToComplete, [System.StringComparison]::Ordinal) } |
                ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
        }

        """;

    public static IReadOnlyList<string> Shells { get; } = ["bash", "zsh", "fish", "pwsh"];

    public static string For(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "fish" => Fish,
        "pwsh" => PowerShell,
        _ => throw new CliException($"no completion script for '{shell}'; use one of {string.Join(", ", Shells)}.", ExitCodes.Usage),
    };
}
