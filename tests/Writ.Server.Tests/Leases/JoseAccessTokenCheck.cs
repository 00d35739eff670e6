using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Writ.Server.Tests.Leases;

/// <summary>Verifies an access token with the independent <c>jose</c> library (Node, installed in tests/e2e-js) as a resource server would.</summary>
internal static class JoseAccessTokenCheck
{
    private const string Script = """
        import { createRemoteJWKSet, jwtVerify } from 'jose';
        const [jwksUrl, issuer, audience] = process.argv.slice(1);
        let token = '';
        for await (const chunk of process.stdin) token += chunk;
        try {
          const { payload, protectedHeader } = await jwtVerify(token.trim(), createRemoteJWKSet(new URL(jwksUrl)), {
            issuer, audience, typ: 'at+jwt', algorithms: ['ES256'],
          });
          console.log(JSON.stringify({ header: protectedHeader, payload }));
        } catch (e) {
          console.log(e.code ?? String(e));
          process.exit(1);
        }
        """;

    public static async Task<(int Exit, string Output)> VerifyAsync(string token, string jwksUrl, string issuer, string audience)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = E2eJs(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--input-type=module", "-e", Script, jwksUrl, issuer, audience })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardInput.WriteAsync(token);
        process.StandardInput.Close();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, await output);
    }

    private static string E2eJs([CallerFilePath] string source = "")
    {
        var directory = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "e2e-js"));
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "jose")), $"run 'npm ci' in {directory} first");
        return directory;
    }
}
