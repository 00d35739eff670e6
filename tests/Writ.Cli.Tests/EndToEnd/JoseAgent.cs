using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.EndToEnd;

// An agent's side of registered-key attestation, done with jose (tests/e2e-js/assertion.mjs) as a non-.NET agent would.
internal static class JoseAgent
{
    public static async Task<(JsonObject PrivateJwk, JsonObject PublicJwk)> GenerateKeyPairAsync()
    {
        var (exitCode, stdout, stderr) = await NodeScripts.RunAsync("assertion.mjs", ["keygen"], null);
        Assert.True(exitCode == 0, stderr);
        var pair = JsonNode.Parse(stdout)!;
        return ((JsonObject)pair["privateJwk"]!, (JsonObject)pair["publicJwk"]!);
    }

    // `--name=value`, because a thumbprint kid may start with '-'.
    public static async Task<string> SignAssertionAsync(JsonObject privateJwk, string kid, string spiffeId, string audience) =>
        await SignAsync(privateJwk, ["--kid=" + kid, "--sub=" + spiffeId, "--aud=" + audience]);

    // A token as an external issuer (CI, Kubernetes) would mint it for a workload.
    public static async Task<string> SignExternalTokenAsync(JsonObject privateJwk, string kid, string issuer, string subject, string audience) =>
        await SignAsync(privateJwk, ["--kid=" + kid, "--iss=" + issuer, "--sub=" + subject, "--aud=" + audience]);

    private static async Task<string> SignAsync(JsonObject privateJwk, string[] args)
    {
        var (exitCode, stdout, stderr) = await NodeScripts.RunAsync("assertion.mjs", ["sign", .. args], privateJwk.ToJsonString());
        Assert.True(exitCode == 0, stderr);
        return stdout.Trim();
    }
}
