using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Writ.Server.Tests.Tasks;

// Verifies task tokens with the `jose` npm package (tests/e2e-js/node_modules), which shares no code with Writ.
public sealed class TaskTokenJoseTests
{
    private const string Script = """
        import { createRemoteJWKSet, jwtVerify } from 'jose';
        import { readFileSync } from 'node:fs';
        const [jwks, issuer, audience, typ] = process.argv.slice(1);
        const token = readFileSync(0, 'utf8').trim();
        try {
          const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(jwks)), {
            issuer, audience, typ, algorithms: ['ES256'], requiredClaims: ['sub', 'exp', 'iat', 'jti', 'tid'],
          });
          process.stdout.write(JSON.stringify({ header: protectedHeader, payload }));
        } catch (e) {
          process.stdout.write(JSON.stringify({ error: e.code ?? e.name }));
          process.exit(1);
        }
        """;

    [Fact]
    public async Task TaskToken_VerifiesWithJose()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        var jwks = world.Host.Issuer.TrimEnd('/') + "/.well-known/jwks.json";

        var (exit, output) = await VerifyAsync(token, jwks, world.Host.Issuer, TaskWorld.Gateway, "writ-task+jwt");

        Assert.True(exit == 0, output);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal("writ-task+jwt", result.GetProperty("header").GetProperty("typ").GetString());
        Assert.Equal("writ_task", result.GetProperty("payload").GetProperty("authorization_details")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task TaskToken_FailsJoseForAnotherAudienceOrType()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        var jwks = world.Host.Issuer.TrimEnd('/') + "/.well-known/jwks.json";

        var (wrongAudience, audienceOutput) = await VerifyAsync(token, jwks, world.Host.Issuer, "https://other.test", "writ-task+jwt");
        var (wrongType, typeOutput) = await VerifyAsync(token, jwks, world.Host.Issuer, TaskWorld.Gateway, "JWT");

        Assert.Equal(1, wrongAudience);
        Assert.Contains("ERR_JWT_CLAIM_VALIDATION_FAILED", audienceOutput, StringComparison.Ordinal);
        Assert.Equal(1, wrongType);
        Assert.Contains("ERR_JWT_CLAIM_VALIDATION_FAILED", typeOutput, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> VerifyAsync(string token, string jwks, string issuer, string audience, string typ)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = E2eJsDirectory(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--input-type=module", "-e", Script, jwks, issuer, audience, typ })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardInput.WriteAsync(token);
        process.StandardInput.Close();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, await stdout);
    }

    // The jose package is installed in tests/e2e-js (npm ci there, as the CLI end-to-end tests do).
    private static string E2eJsDirectory([CallerFilePath] string source = "")
    {
        var directory = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "e2e-js"));
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "jose")), $"run 'npm ci' in {directory} first");
        return directory;
    }
}
