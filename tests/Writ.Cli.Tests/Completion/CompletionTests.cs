using System.Diagnostics;
using Writ.Cli.Tests.EndToEnd;

namespace Writ.Cli.Tests.Completion;

// `writ completion <shell>` and the [suggest] directive its scripts call, run through the real `writ` process.
public sealed class CompletionTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("writ-completion-").FullName;

    [Theory]
    [InlineData("bash", "complete -o default -o bashdefault -F _writ_complete writ")]
    [InlineData("zsh", "compdef _writ_complete writ")]
    [InlineData("fish", "complete -c writ -f -a '(__writ_complete)'")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName writ, writ.exe")]
    public async Task CompletionScript_RegistersWithTheShellAndAsksWrit(string shell, string registration)
    {
        var result = await WritProcess.RunAsync(directory, null, "completion", shell);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains(registration, result.Output, StringComparison.Ordinal);
        Assert.Contains("[suggest:", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Theory]
    [InlineData("tcsh")]
    [InlineData("")]
    public async Task UnknownShell_ExitsWithUsageError(string shell)
    {
        var result = await WritProcess.RunAsync(directory, null, "completion", shell);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.DoesNotContain("_writ_complete", result.Output, StringComparison.Ordinal);
        Assert.Contains("bash", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingShell_ExitsWithUsageError()
    {
        var result = await WritProcess.RunAsync(directory, null, "completion");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }

    [Theory]
    [InlineData("writ ag", "agent,agent-key")]
    [InlineData("writ comp", "completion")]
    [InlineData("writ agent ", "list,register,resume,retire,show,suspend,--server,--token,--json")]
    [InlineData("writ agent register research --ow", "--owner")]
    [InlineData("writ agent register research --attestation ", "external_issuer,join_token,registered_key")]
    [InlineData("writ lease list --state ", "active,expired,failed_revocation,revoked")]
    [InlineData("writ task list --state ", "active,cancelled,completed,expired,revoked")]
    [InlineData("writ dev --storage ", "postgres,sqlite")]
    [InlineData("writ server --storage ", "postgres,sqlite")]
    [InlineData("writ audit verify --storage ", "postgres,sqlite")]
    [InlineData("writ audit search --type task.", "task.cancelled,task.completed,task.delegated,task.expired,task.refused,task.started")]
    [InlineData("writ audit search --decision ", "allow,deny,issued,refused")]
    [InlineData("writ connection add orders --kind ", "oauth_client_credentials,postgres_admin,static_secret")]
    [InlineData("writ cedar validate --schema-format ", "cedar,json")]
    [InlineData("writ completion ", "bash,fish,pwsh,zsh")]
    public async Task SuggestDirective_CompletesNounsVerbsOptionsAndValues(string line, string expected)
    {
        var result = await WritProcess.RunAsync(directory, null, $"[suggest:{line.Length}]", line);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var suggestions = Lines(result.Output);
        foreach (var item in expected.Split(','))
        {
            Assert.Contains(item, suggestions);
        }
    }

    [Fact]
    public async Task SuggestDirective_OffersOnlyWhatFitsTheWord()
    {
        const string line = "writ audit search --type identity.";

        var result = await WritProcess.RunAsync(directory, null, $"[suggest:{line.Length}]", line);

        Assert.Equal(["identity.issued", "identity.refused"], Lines(result.Output));
    }

    [Fact]
    public async Task BashScript_CompletesThroughTheRealWrit()
    {
        var script = await WritProcess.RunAsync(directory, null, "completion", "bash");
        Assert.True(script.ExitCode == ExitCodes.Ok, script.ToString());
        var scriptFile = Path.Combine(directory, "writ-completion.bash");
        await File.WriteAllTextAsync(scriptFile, script.Output, TestContext.Current.CancellationToken);
        var bin = WritOnPath();

        // Simulates what bash sets before calling a completion function: the line, the cursor and the words.
        const string driver = """
            source "$1"
            try() {
                COMP_LINE="$1"; COMP_POINT=${#1}
                read -ra COMP_WORDS <<< "$1"
                [[ $1 == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                COMPREPLY=()
                _writ_complete
                echo "$1|${COMPREPLY[*]}"
            }
            try "writ ag"
            try "writ revoke t"
            try "writ task list --state ex"
            try "writ "
            """;
        var output = await RunBashAsync(driver, scriptFile, bin);

        Assert.Contains("writ ag|agent agent-key", output, StringComparison.Ordinal);
        Assert.Contains("writ revoke t|task token", output, StringComparison.Ordinal);
        Assert.Contains("writ task list --state ex|expired", output, StringComparison.Ordinal);
        var root = output.Split('\n').Single(l => l.StartsWith("writ |", StringComparison.Ordinal));
        Assert.Contains(" completion ", root, StringComparison.Ordinal);
        Assert.DoesNotContain("/?", root, StringComparison.Ordinal);
        Assert.DoesNotContain("-? ", root, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // A `writ` on PATH that runs the built writ.dll, as an installed `writ` would be.
    private string WritOnPath()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the bash completion test runs bash; run it on Linux or macOS");
        }

        var bin = Path.Combine(directory, "bin");
        Directory.CreateDirectory(bin);
        var start = WritProcess.StartInfo(directory, []);
        var launcher = Path.Combine(bin, "writ");
        File.WriteAllText(launcher, $"#!/bin/sh\nexec '{start.FileName}' '{WritProcess.DllPath}' \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    private async Task<string> RunBashAsync(string driver, string scriptFile, string bin)
    {
        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(driver);
        info.ArgumentList.Add("bash");
        info.ArgumentList.Add(scriptFile);
        info.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"bash exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
