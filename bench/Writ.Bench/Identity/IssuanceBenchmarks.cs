using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Writ.Bench.Crypto;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Storage.Sqlite;

namespace Writ.Bench.Identity;

/// <summary>
/// One identity-token issuance on the registered-key path, in process, on a real SQLite file:
/// the token service's whole work (assertion checks, agent lookup, jti record, signing, the durable audit record) next to the
/// bare ES256 verify+sign pair it cannot beat. Assertions are signed in IterationSetup, untimed.
/// </summary>
[MemoryDiagnoser]
public class IssuanceBenchmarks
{
    private const int PerIteration = 2000;
    private const string Endpoint = "http://127.0.0.1:7600/oauth2/token";

    private string _data = null!;
    private SqliteWritStore _store = null!;
    private RootKey _rootKey = null!;
    private IAuditLog _audit = null!;
    private TokenService _tokens = null!;
    private ECDsa _agentKey = null!;
    private ECDsaSecurityKey _agentSecurityKey = null!;
    private SpiffeId _agent = null!;
    private ECDsa _ceilingKey = null!;
    private byte[] _ceilingSignature = null!;
    private readonly Queue<Dictionary<string, string>> _requests = new();

    [GlobalSetup]
    public void Setup()
    {
        _data = Directory.CreateTempSubdirectory("writ-bench-").FullName;
        _store = SqliteWritStore.ForDataDirectory(_data);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _rootKey = RootKey.Generate();
        var time = TimeProvider.System;
        var ring = new KeyRing(_store.SigningKeys, _rootKey, new KeyRingOptions { PublishDelay = TimeSpan.Zero }, time);
        ring.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();

        var domain = TrustDomain.Parse("writ.local");
        _agent = SpiffeId.ForAgent(domain, "bench");
        _agentKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _agentSecurityKey = new ECDsaSecurityKey(_agentKey) { KeyId = "bench-agent-key" };
        var now = time.GetUtcNow();
        if (!AgentPublicKey.TryCreate(PublicJwk(_agentKey, _agentSecurityKey.KeyId), now, out var agentKey, out var error))
        {
            throw new InvalidOperationException(error);
        }

        _store.Owners.AddAsync(new Owner("bench", null, null, now), CancellationToken.None).GetAwaiter().GetResult();
        _store.Agents.AddAsync(
            new Agent("bench", _agent, "bench", AgentStatus.Active, [AttestationMethod.RegisteredKey],
                new Dictionary<string, string>(), [agentKey!], now, now),
            CancellationToken.None).GetAwaiter().GetResult();

        // Issuance records identity.issued durably before the token leaves, as the server does.
        _audit = new AuditLogService(_store.Audit, _rootKey, "writ.local/audit", new AuditOptions(), time);
        _tokens = new TokenService(_store, ring, new ExternalJwksCache(new HttpClient(), time), domain,
            new Endpoints(), new IdentityTokenOptions(), time, _audit);

        _ceilingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _ceilingSignature = _ceilingKey.SignData(Es256Ceiling.SigningInput, HashAlgorithmName.SHA256);
    }

    [IterationSetup(Target = nameof(IssueIdentityToken))]
    public void SignAssertions()
    {
        var handler = new JsonWebTokenHandler();
        var credentials = new SigningCredentials(_agentSecurityKey, SecurityAlgorithms.EcdsaSha256);
        var now = DateTime.UtcNow;
        _requests.Clear();
        for (var i = 0; i < PerIteration; i++)
        {
            var assertion = handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = _agent.ToString(),
                Audience = Endpoint,
                Claims = new Dictionary<string, object> { ["sub"] = _agent.ToString(), ["jti"] = Guid.NewGuid().ToString("N") },
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddMinutes(5),
                SigningCredentials = credentials,
            });
            _requests.Enqueue(new Dictionary<string, string>
            {
                ["grant_type"] = TokenTypes.JwtBearerGrant,
                ["assertion"] = assertion,
                ["audience"] = "bench",
            });
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1)]
    [InvocationCount(PerIteration)]
    public bool Es256VerifyPlusSign()
    {
        var ok = _ceilingKey.VerifyData(Es256Ceiling.SigningInput, _ceilingSignature, HashAlgorithmName.SHA256);
        _ceilingKey.SignData(Es256Ceiling.SigningInput, HashAlgorithmName.SHA256);
        return ok;
    }

    [Benchmark]
    [InvocationCount(PerIteration)]
    public async Task<bool> IssueIdentityToken()
    {
        var result = await _tokens.ExchangeAsync(_requests.Dequeue(), CancellationToken.None);
        return result.Succeeded ? true : throw new InvalidOperationException("issuance failed: " + result.Error?.Description);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ((AuditLogService)_audit).DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _rootKey.Dispose();
        _agentKey.Dispose();
        _ceilingKey.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private static JsonElement PublicJwk(ECDsa key, string kid)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.SerializeToElement(new Dictionary<string, string>
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X),
            ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
            ["kid"] = kid,
        });
    }

    private sealed class Endpoints : ITokenServiceEndpoints
    {
        public string Issuer => "http://127.0.0.1:7600";

        public string TokenEndpoint => Endpoint;

        public string IntrospectionEndpoint => "http://127.0.0.1:7600/oauth2/introspect";

        public string RevocationEndpoint => "http://127.0.0.1:7600/oauth2/revoke";
    }
}
