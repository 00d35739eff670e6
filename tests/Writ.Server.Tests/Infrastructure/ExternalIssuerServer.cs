using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Writ.Server.Tests.Infrastructure;

/// <summary>
/// A stand-in OIDC issuer (think Kubernetes or CI) on a loopback port: it publishes its RSA keys at
/// <c>/jwks</c>, counts fetches, rotates keys, and signs RS256 tokens.
/// </summary>
internal sealed class ExternalIssuerServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<(string Kid, RSA Key)> keys = [];
    private int fetches;

    private ExternalIssuerServer(WebApplication app) => this.app = app;

    public string Issuer { get; private set; } = string.Empty;

    public string JwksUri => Issuer + "/jwks";

    public int Fetches => Volatile.Read(ref fetches);

    public string CurrentKid => keys[^1].Kid;

    public static async Task<ExternalIssuerServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new ExternalIssuerServer(builder.Build());
        server.AddKey();
        server.app.MapGet("/jwks", server.Jwks);
        await server.app.StartAsync(TestContext.Current.CancellationToken);
        server.Issuer = server.app.Urls.First();
        return server;
    }

    /// <summary>Adds a new key that becomes the signing key (the issuer rotated).</summary>
    public string AddKey()
    {
        var kid = "ext-" + keys.Count;
        keys.Add((kid, RSA.Create(2048)));
        return kid;
    }

    public string Sign(IDictionary<string, object?> claims, string? kid = null)
    {
        var (keyId, key) = kid is null ? keys[^1] : keys.Single(k => k.Kid == kid);
        return Jwt.Rs256(key, new Dictionary<string, object?> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = keyId }, claims);
    }

    public Dictionary<string, object?> Claims(string audience, DateTimeOffset now, string subject) => new()
    {
        ["iss"] = Issuer,
        ["sub"] = subject,
        ["aud"] = audience,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = (now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
    };

    public string JwksJson() => JsonSerializer.Serialize(new
    {
        keys = keys.Select(k =>
        {
            var p = k.Key.ExportParameters(false);
            return new Dictionary<string, string>
            {
                ["kty"] = "RSA",
                ["kid"] = k.Kid,
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["n"] = Base64Url.EncodeToString(p.Modulus),
                ["e"] = Base64Url.EncodeToString(p.Exponent),
            };
        }).ToArray(),
    });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        foreach (var (_, key) in keys)
        {
            key.Dispose();
        }
    }

    private IResult Jwks()
    {
        Interlocked.Increment(ref fetches);
        return Results.Text(JwksJson(), "application/json");
    }
}
