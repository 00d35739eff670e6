using System.CommandLine;
using System.Runtime.CompilerServices;
using Writ.Cli.Cedar;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.Cedar;

// A temporary directory with Cedar fixture files, and `writ cedar ...` run in-process against it.
internal sealed class CedarWorkspace : IDisposable
{
    public const string PhotoSchema = """
        entity User in [Group] { department: String, level: Long };
        entity Group;
        entity Photo { owner: User, private: Bool };
        action view appliesTo { principal: User, resource: Photo, context: { score: decimal, mfa?: Bool } };
        action delete appliesTo { principal: User, resource: Photo };
        """;

    public const string PhotoEntities = """
        [
          {"uid": {"type": "User", "id": "alice"}, "attrs": {"department": "eng", "level": 5}, "parents": [{"type": "Group", "id": "admins"}]},
          {"uid": {"type": "User", "id": "bob"}, "attrs": {"department": "sales", "level": 1}, "parents": []},
          {"uid": {"type": "Group", "id": "admins"}, "attrs": {}, "parents": []},
          {"uid": {"type": "Photo", "id": "a.jpg"}, "attrs": {"owner": {"__entity": {"type": "User", "id": "bob"}}, "private": false}, "parents": []},
          {"uid": {"type": "Photo", "id": "secret.jpg"}, "attrs": {"owner": {"__entity": {"type": "User", "id": "bob"}}, "private": true}, "parents": []}
        ]
        """;

    private readonly InProcessCli cli = new();

    public string Directory => cli.WorkingDirectory;

    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return name;
    }

    public string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));

    // `writ cedar <args>` through the whole `writ` command tree, as a user runs it.
    public Task<CliResult> RunAsync(params string[] args) => cli.RunAsync(["cedar", .. args]);

    // The same verbs with a chosen standard input (the `writ` root reads the process's own).
    public async Task<CliResult> RunWithInputAsync(string standardInput, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = cli.Context(output, error);
        var root = new RootCommand { new Option<bool>("--json") { Recursive = true } };
        root.Subcommands.Add(CedarCommands.Create(context, new StringReader(standardInput)));
        var exitCode = await root.Parse(["cedar", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public static string LastLine(string text) => text.TrimEnd().Split('\n')[^1].TrimEnd('\r');

    // The shared conformance data: $WRIT_CEDAR_CONFORMANCE, else ../shared/cedar-conformance beside the repository.
    public static string ConformanceDirectory()
    {
        if (Environment.GetEnvironmentVariable("WRIT_CEDAR_CONFORMANCE") is { Length: > 0 } configured)
        {
            return configured;
        }

        var repositoryRoot = Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", ".."));
        return Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "cedar-conformance"));
    }

    public void Dispose() => cli.Dispose();

    // Tests build under any artifacts path, so the repository is found from this file's compile-time location.
    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
