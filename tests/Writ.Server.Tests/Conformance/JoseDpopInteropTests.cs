using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Writ.Server.Tests.Tasks;

namespace Writ.Server.Tests.Conformance;

/// <summary>
/// DPoP proofs made by the `jose` npm package (tests/e2e-js), which shares no code with Writ, for every algorithm the
/// metadata advertises: Writ accepts each, and binds the task token to the RFC 7638 thumbprint jose computes.
/// </summary>
public sealed class JoseDpopInteropTests
{
    private const string Script = """
        import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
        import { randomUUID } from 'node:crypto';
        const [alg, htu, iat] = process.argv.slice(1);
        const { publicKey, privateKey } = await generateKeyPair(alg, { modulusLength: 2048 });
        const jwk = await exportJWK(publicKey);
        const proof = await new SignJWT({ htm: 'POST', htu, jti: randomUUID() })
          .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk })
          .setIssuedAt(Number(iat))
          .sign(privateKey);
        process.stdout.write(JSON.stringify({ proof, jkt: await calculateJwkThumbprint(jwk, 'sha256') }));
        """;

    public static TheoryData<string> Algorithms() => ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"];

    [Fact]
    public async Task EveryAdvertisedDpopAlgorithm_IsCoveredHere()
    {
        await using var world = await TaskWorld.StartAsync();

        var metadata = JsonDocument.Parse(await world.Host.Http.GetStringAsync(".well-known/oauth-authorization-server", TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(Algorithms().Select(a => a.Data).Order(), metadata.GetProperty("dpop_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()!).Order());
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task JoseProof_BindsTheTaskTokenToJosesThumbprint(string algorithm)
    {
        await using var world = await TaskWorld.StartAsync();
        var made = await ProofAsync(algorithm, world.Host.TokenEndpoint, world.Host.Time.GetUtcNow().ToUnixTimeSeconds());

        var body = await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: made.GetProperty("proof").GetString()));

        Assert.Equal("DPoP", body["token_type"]!.GetValue<string>());
        var token = body["access_token"]!.GetValue<string>();
        Assert.Equal(made.GetProperty("jkt").GetString(), Infrastructure.Jwt.DecodePart(token, 1).GetProperty("cnf").GetProperty("jkt").GetString());
    }

    private static async Task<JsonElement> ProofAsync(string algorithm, string htu, long iat)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = E2eJsDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--input-type=module", "-e", Script, algorithm, htu, iat.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(bound.Token);
        Assert.True(process.ExitCode == 0, await stderr);
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    // The jose package is installed in tests/e2e-js (npm ci there, as the CLI end-to-end tests do).
    private static string E2eJsDirectory([CallerFilePath] string source = "")
    {
        var directory = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "e2e-js"));
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "jose")), $"run 'npm ci' in {directory} first");
        return directory;
    }
}
