using Writ.Cli.Api;

namespace Writ.Cli.Commands;

// The "how to fix it" half of an error line, chosen from the problem's status and stable code.
internal static class ProblemHints
{
    public static string For(ApiProblem problem, AdminConnection connection, string noun, string? commandPath = null)
    {
        var code = problem.Code ?? string.Empty;
        return problem.Status switch
        {
            401 => $"The admin token from {connection.TokenSource} was not accepted by {connection.Server}; pass a valid one with --token or {GlobalOptions.TokenVariable} (`writ dev` keeps its token in <data>/admin-token).",
            403 => "This admin token may not do that (a token scoped to one owner manages only that owner's agents); use a token with the right scope.",

            // The server's detail may already name the command that fixes it; saying it twice is noise.
            _ when ServerSaysHow(problem) => string.Empty,
            _ when code.EndsWith("_not_found", StringComparison.Ordinal) => NotFoundHint(NounOf(code, "_not_found"), noun),
            _ when code.EndsWith("_exists", StringComparison.Ordinal) => ExistsHint(NounOf(code, "_exists"), noun),
            404 when problem.Code is null => $"{connection.Server} has no such endpoint; check that --server points at a Writ server of this version.",
            400 or 422 => $"Check the values you passed; `writ {commandPath ?? noun} --help` lists the options.",
            413 => "The request is too large for the server.",
            >= 500 => "The server failed; its log has the details.",
            _ => string.Empty,
        };
    }

    private static bool ServerSaysHow(ApiProblem problem) =>
        problem.Detail is { } detail && (detail.Contains("'writ ", StringComparison.Ordinal) || detail.Contains("`writ ", StringComparison.Ordinal));

    private static string NounOf(string code, string suffix) => code[..^suffix.Length].Replace('_', '-');

    // The command that shows what exists, for the nouns a "<noun>_not_found" or "<noun>_exists" code names.
    private static string? ListCommand(string noun, string commandNoun) => noun switch
    {
        "owner" or "agent" or "issuer" or "client" or "admin-token" or "task" or "connection" or "lease" => $"writ {noun} list",

        // An agent's own key, not a signing key, when the command was about agent keys.
        "key" when commandNoun == "agent-key" => "writ agent-key list <agent>",
        "key" => "writ key list",
        "policy-set" => "writ policy list",
        "pdp-client" => "writ policy pdp-client list",
        _ => null,
    };

    private static string NotFoundHint(string noun, string commandNoun) =>
        noun switch
        {
            "owner" => "See `writ owner list`, or add it with `writ owner add <name>`.",
            "agent" => "See `writ agent list`, or register it with `writ agent register <name> --owner <owner>`.",
            "connection" => "See `writ connection list`, or add it with `writ connection add <name> --owner <owner> --kind <kind> --secret-stdin`.",
            _ when ListCommand(noun, commandNoun) is { } list => $"See `{list}`.",
            _ => string.Empty,
        };

    private static string ExistsHint(string noun, string commandNoun) =>
        ListCommand(noun, commandNoun) is { } list ? $"See what exists with `{list}`." : "Choose another name.";
}
