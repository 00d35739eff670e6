using ModelContextProtocol.Protocol;

namespace Writ.Mcp.ReferenceServer;

/// <summary>Completion of prompt arguments and template variables from a small fixed vocabulary.</summary>
internal static class Completions
{
    private static readonly string[] Words = ["alpha", "beta", "gamma", "delta"];

    public static CompleteResult For(CompleteRequestParams? request)
    {
        var prefix = request?.Argument.Value ?? string.Empty;
        var values = Words.Where(w => w.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return new CompleteResult { Completion = new Completion { Values = values, Total = values.Count, HasMore = false } };
    }
}
