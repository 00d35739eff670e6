using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Output;
using Writ.Core.Policy;

namespace Writ.Cli.Commands;

// `writ policy test <files> --policies <dir>`: runs Cedar test files (the format `writ cedar test` reads) against a
// policy directory validated against the Writ schema, locally, before the set is applied. Exit 0 when every check
// passes, 1 when one fails or the set does not validate, 2 when an input cannot be read.
internal static class PolicyTestCommand
{
    public static WritCommand Create(CliContext context)
    {
        var files = new Argument<string[]>("files") { Description = "Test files (.json) or directories of them", Arity = ArgumentArity.OneOrMore };
        var policies = new Option<string>("--policies", "-p")
        {
            Description = "Directory holding the policy set's *.cedar files (each test file's own \"policies\" and \"schema\" are ignored: the set is this directory, the schema is Writ's)",
            HelpName = "dir",
            Required = true,
        };
        var verb = new WritCommand("test", "Run Cedar policy tests against a policy directory, locally: the set must validate against the Writ schema, and every request's decision, determining policies and erroring policies must match. Policies are named by @id, else <file stem>.policy<n>.",
            "writ policy test tests/ --policies policies/",
            "writ policy test tests/search.json tests/merge.json -p policies/ --json")
        {
            files,
            policies,
        };
        verb.SetAction(parseResult =>
        {
            var output = new CommandOutput(context, parseResult.GetValue<bool>("--json"));
            try
            {
                return Run(context, output, parseResult.GetRequiredValue(files), parseResult.GetRequiredValue(policies));
            }
            catch (CliException e)
            {
                context.Error.WriteLine("error: " + e.Message);
                return e.ExitCode;
            }
        });
        return verb;
    }

    private static int Run(CliContext context, CommandOutput output, string[] inputs, string directory)
    {
        var set = PolicyDirectory.Read(context.WorkingDirectory, directory);
        var compiled = PolicyCompiler.Compile(set, WritSchema.Schema);
        if (!compiled.Succeeded)
        {
            if (output.Json)
            {
                output.WriteJson(new JsonObject { ["passed"] = 0, ["failed"] = compiled.Errors.Count, ["errors"] = new JsonArray([.. compiled.Errors.Select(e => (JsonNode)PolicyDirectory.IssueJson(e))]) });
            }
            else
            {
                PolicyDirectory.WriteIssues(output, directory, "error", compiled.Errors);
                output.WriteLine($"the policy set in {directory} does not validate against the Writ schema; no test ran");
            }

            return ExitCodes.Error;
        }

        var testFiles = TestFiles(context.WorkingDirectory, inputs);
        var runner = new PolicyTestRunner(compiled.Policies!);
        var results = testFiles.Select(f => (File: f, Failures: runner.Run(f))).ToList();
        var failures = results.SelectMany(r => r.Failures.Select(f => (r.File, Failure: f))).ToList();
        var passed = runner.Checks - failures.Count;
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["files"] = testFiles.Count,
                ["passed"] = passed,
                ["failed"] = failures.Count,
                ["failures"] = new JsonArray([.. failures.Select(f => (JsonNode)new JsonObject
                {
                    ["file"] = Path.GetRelativePath(context.WorkingDirectory, f.File),
                    ["request"] = f.Failure.Request,
                    ["difference"] = f.Failure.Difference,
                })]),
            });
        }
        else
        {
            foreach (var (file, failure) in failures)
            {
                output.WriteLine($"FAIL {Path.GetRelativePath(context.WorkingDirectory, file)} [{failure.Request}]: {failure.Difference}");
            }

            output.WriteLine($"{passed} passed, {failures.Count} failed");
        }

        return failures.Count == 0 ? ExitCodes.Ok : ExitCodes.Error;
    }

    private static List<string> TestFiles(string workingDirectory, string[] inputs)
    {
        var list = new List<string>();
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(Path.Combine(workingDirectory, input));
            if (Directory.Exists(full))
            {
                list.AddRange(Directory.GetFiles(full, "*.json", SearchOption.AllDirectories)
                    .Where(f => !f.EndsWith(".entities.json", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(full))
            {
                list.Add(full);
            }
            else
            {
                throw new CliException($"{input}: no such file or directory", ExitCodes.Usage);
            }
        }

        return list.Count > 0 ? list : throw new CliException("no test files found (*.json other than *.entities.json)", ExitCodes.Usage);
    }
}
