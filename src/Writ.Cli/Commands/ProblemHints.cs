using Writ.Cli.Api;

namespace Writ.Cli.Commands;

// The "how to fix it" half of an error line, chosen from the problem's status and stable code.
internal static class ProblemHints
{
    public static string For(ApiProblem problem, AdminConnection connection, string noun)
    {
        var code = problem.Code ?? string.Empty;
        return problem.Status switch
        {
            401 => $"The admin token from {connection.TokenSource} was not accepted by {connection.Server}; pass a valid one with --token or {GlobalOptions.TokenVariable} (`writ dev` keeps its token in <data>/admin-token).",
            403 => "This admin token may not do that (a token scoped to one owner manages only that owner's agents); use a token with the right scope.",

            // The server's detail may already name the command that fixes it; saying it twice is noise.
            _ when ServerSaysHow(problem) => string.Empty,
            _ when code.EndsWith("_not_found", StringComparison.Ordinal) => NotFoundHint(NounOf(code, "_not_found")),
            _ when code.EndsWith("_exists", StringComparison.Ordinal) => $"See what exists with `writ {NounOf(code, "_exists")} list`.",
            404 when problem.Code is null => $"{connection.Server} has no such endpoint; check that --server points at a Writ server of this version.",
            400 or 422 => $"Check the values you passed; `writ {noun} --help` lists the options.",
            413 => "The request is too large for the server.",
            >= 500 => "The server failed; its log has the details.",
            _ => string.Empty,
        };
    }

    private static bool ServerSaysHow(ApiProblem problem) =>
        problem.Detail is { } detail && (detail.Contains("'writ ", StringComparison.Ordinal) || detail.Contains("`writ ", StringComparison.Ordinal));

    private static string NounOf(string code, string suffix) => code[..^suffix.Length].Replace('_', '-');

    private static string NotFoundHint(string noun) =>
        noun switch
        {
            "owner" => "See `writ owner list`, or add it with `writ owner add <name>`.",
            "agent" => "See `writ agent list`, or register it with `writ agent register <name> --owner <owner>`.",
            "issuer" or "client" or "admin-token" or "key" => $"See `writ {noun} list`.",
            _ => string.Empty,
        };
}
