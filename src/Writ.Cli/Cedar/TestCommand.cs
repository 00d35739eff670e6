using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cedar.Testing;
using Writ.Cli.Commands;

namespace Writ.Cli.Cedar;

// `writ cedar test`: runs Cedar conformance-format test files (one file, a directory or a .tar.gz) and ends with
// `N passed, M failed`. One check per request plus one per case for its validation verdict.
// Exit 0 when nothing failed, 1 when a check failed, 2 when the input could not be read.
internal static class TestCommand
{
    // How often the progress line is redrawn, in test files.
    private const int ProgressEvery = 25;

    public static WritCommand Create(CedarIo io)
    {
        var input = new Argument<string>("input") { Description = "A test file (.json), a directory of them, or a .tar.gz holding them" };
        var root = new Option<string?>("--root")
        {
            Description = "Directory that the policy, entity and schema paths inside the test files are relative to [default: the current directory]",
            HelpName = "dir",
        };
        var command = new WritCommand(
            "test",
            "Run Cedar test files in the conformance format: for each request the decision, determining policies and erroring policies must match, and each case's shouldValidate must match the validator. Policy ids are positional (policy0, policy1, ...), as in Cedar's test format. Exit 0 when all pass, 1 when any fails, 2 when the input cannot be read.",
            "writ cedar test tests/ --root .",
            "writ cedar test ../shared/cedar-conformance/corpus-tests.tar.gz --root ../shared/cedar-conformance");
        command.Arguments.Add(input);
        command.Options.Add(root);
        io.SetAction(command, invocation => Run(invocation, invocation.Get(input)!, invocation.Get(root)));
        return command;
    }

    private static int Run(CedarInvocation invocation, string inputPath, string? rootPath)
    {
        var io = invocation.Io;
        var rootDirectory = io.FullPath(rootPath ?? ".");
        if (!Directory.Exists(rootDirectory))
        {
            throw new CedarInputException($"--root {rootPath}: no such directory") { ExitCode = CedarExitCodes.InputUnreadable };
        }

        TestInput tests;
        try
        {
            tests = TestInput.Open(io.FullPath(inputPath), rootDirectory);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException or NotSupportedException)
        {
            throw new CedarInputException($"cannot read {inputPath}: {e.Message}", e) { ExitCode = CedarExitCodes.InputUnreadable };
        }

        if (tests.TestFiles.Count == 0)
        {
            throw new CedarInputException($"{inputPath} holds no test files (*.json other than *.entities.json)") { ExitCode = CedarExitCodes.InputUnreadable };
        }

        var report = new TestReport();
        var runner = new ConformanceRunner();
        using (var progress = Progress.For(io.Context, tests.TestFiles.Count))
        {
            for (var i = 0; i < tests.TestFiles.Count; i++)
            {
                runner.RunCase(tests, tests.TestFiles[i], report);
                progress.Update(i + 1, report.Failed);
            }
        }

        Write(invocation, tests, report);
        return report.Failed == 0 ? CedarExitCodes.Ok : CedarExitCodes.Failure;
    }

    private static void Write(CedarInvocation invocation, TestInput tests, TestReport report)
    {
        var output = invocation.Output;
        var workingDirectory = invocation.Io.Context.WorkingDirectory;
        string Name(string testCase) => tests.IsArchive ? testCase : Path.GetRelativePath(workingDirectory, testCase);
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["cases"] = tests.TestFiles.Count,
                ["passed"] = report.Passed,
                ["failed"] = report.Failed,
                ["failures"] = new JsonArray([.. report.Failures.Select(f => (JsonNode)new JsonObject
                {
                    ["case"] = Name(f.Case),
                    ["request"] = f.Request,
                    ["difference"] = f.Difference,
                })]),
                ["summary"] = report.Summary,
            });
            return;
        }

        foreach (var failure in report.Failures)
        {
            output.WriteLine($"FAIL {Name(failure.Case)} [{TestRequestLabel.For(tests, failure)}]: {failure.Difference}");
        }

        output.WriteLine(report.Summary);
    }

    // A progress line on stderr, drawn only when stderr is the process's own terminal (never into pipes or tests).
    private sealed class Progress : IDisposable
    {
        private readonly TextWriter? terminal;
        private readonly int total;

        private Progress(TextWriter? terminal, int total)
        {
            this.terminal = terminal;
            this.total = total;
        }

        public static Progress For(CliContext context, int total)
        {
            var isTerminal = ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected;
            return new Progress(isTerminal && total >= ProgressEvery ? context.Error : null, total);
        }

        public void Update(int done, int failed)
        {
            if (terminal is not null && (done % ProgressEvery == 0 || done == total))
            {
                terminal.Write($"\r{done}/{total} test files, {failed} failed");
                terminal.Flush();
            }
        }

        public void Dispose()
        {
            if (terminal is not null)
            {
                terminal.Write("\r\u001b[2K");
                terminal.Flush();
            }
        }
    }
}
