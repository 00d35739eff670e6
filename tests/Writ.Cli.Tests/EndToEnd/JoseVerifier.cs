using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.EndToEnd;

// Verifies identity tokens with the `jose` npm package (tests/e2e-js/verify.mjs): an implementation that shares no code with Writ.
internal static class JoseVerifier
{
    public sealed record Result(int ExitCode, JsonObject Output)
    {
        public JsonObject Header => (JsonObject)Output["header"]!;

        public JsonObject Payload => (JsonObject)Output["payload"]!;

        public string? Error => (string?)Output["error"];

        public override string ToString() => $"exit {ExitCode}: {Output.ToJsonString()}";
    }

    // keySource: "--jwks" or "--bundle", with the matching URL.
    public static async Task<Result> VerifyAsync(string token, string keySource, string keyUrl, string issuer, string audience)
    {
        var (exitCode, stdout, stderr) = await NodeScripts.RunAsync("verify.mjs", [keySource, keyUrl, "--issuer", issuer, "--audience", audience], token);
        try
        {
            return new Result(exitCode, JsonNode.Parse(stdout) as JsonObject ?? throw new InvalidOperationException("not an object"));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new InvalidOperationException($"verify.mjs printed no JSON (exit {exitCode}).\nstdout: {stdout}\nstderr: {stderr}", e);
        }
    }
}
