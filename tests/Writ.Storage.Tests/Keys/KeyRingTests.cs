using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Writ.Core.Domain;
using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Keys;

/// <summary>The key ring on a real store of each provider, with time from a fake clock.</summary>
public abstract class KeyRingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly RootKey _rootKey = RootKey.Generate();
    private readonly List<KeyRing> _rings = [];
    private IWritStore _store = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ring in _rings)
        {
            ring.Dispose();
        }

        _rootKey.Dispose();
        await _store.DisposeAsync();
        await DeleteStoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A store on a fresh database, not yet migrated.</summary>
    protected abstract Task<IWritStore> CreateStoreAsync();

    /// <summary>Removes the database after the test.</summary>
    protected abstract Task DeleteStoreAsync();

    /// <summary>Every file the database keeps on disk, with everything written so far flushed to them.</summary>
    protected abstract Task<IReadOnlyList<string>> StoredFilesAsync();

    /// <summary>Runs <paramref name="sql"/> on the database, outside the store, with <c>@kid</c> bound.</summary>
    protected abstract Task ExecuteAsync(string sql, string kid);

    /// <summary>Overwrites the sealed private key of <paramref name="kid"/> with zero bytes of the same length.</summary>
    protected abstract Task ZeroPrivateKeyAsync(string kid);

    [Fact]
    public async Task FirstStart_CreatesOneActiveEs256Key()
    {
        var ring = await StartAsync();

        var key = Assert.Single(await ring.ListAsync(Ct));
        var credentials = await ring.GetSigningCredentialsAsync(Ct);

        Assert.Equal(SigningKeyStatus.Active, key.Status);
        Assert.True(key.Signing);
        Assert.Equal("ES256", key.Algorithm);
        Assert.Equal(1, key.Sequence);
        Assert.Equal(T0, key.ActivatesAt);
        Assert.Null(key.RetiresAt);
        Assert.Equal(SecurityAlgorithms.EcdsaSha256, credentials.Algorithm);
        var ecKey = Assert.IsType<ECDsaSecurityKey>(credentials.Key);
        Assert.Equal(key.Kid, ecKey.KeyId);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, ecKey.ECDsa.ExportParameters(false).Curve.Oid.Value);
    }

    [Fact]
    public async Task Restart_ReusesTheStoredKey()
    {
        var first = await StartAsync();
        var kid = (await first.GetSigningCredentialsAsync(Ct)).Key.KeyId;

        var second = await StartAsync();

        Assert.Single(await second.ListAsync(Ct));
        Assert.Equal(kid, (await second.GetSigningCredentialsAsync(Ct)).Key.KeyId);
    }

    [Fact]
    public async Task ConcurrentFirstStarts_CreateOneKey()
    {
        var rings = Enumerable.Range(0, 4).Select(_ => Track(new KeyRing(_store.SigningKeys, _rootKey, Options(), _time))).ToList();

        await Task.WhenAll(rings.Select(r => Task.Run(() => r.InitializeAsync(Ct), Ct)));

        var key = Assert.Single(await rings[0].ListAsync(Ct));
        foreach (var ring in rings)
        {
            Assert.Equal(key.Kid, (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId);
        }
    }

    [Fact]
    public async Task StartWithEveryKeyRetired_CreatesAFreshKey()
    {
        var old = (await (await StartAsync()).GetSigningCredentialsAsync(Ct)).Key.KeyId;
        await _store.SigningKeys.UpdateScheduleAsync(old, SigningKeyStatus.Retired, T0, Ct);

        var ring = await StartAsync();

        var keys = await ring.ListAsync(Ct);
        Assert.Equal([SigningKeyStatus.Retired, SigningKeyStatus.Active], keys.Select(k => k.Status));
        Assert.Equal(keys[1].Kid, (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId);
        Assert.Equal([keys[1].Kid], await PublishedKidsAsync(ring));
    }

    [Fact]
    public async Task SigningBeforeInitialize_ReadsTheStore()
    {
        await StartAsync();
        var fresh = Track(new KeyRing(_store.SigningKeys, _rootKey, Options(), _time));

        Assert.NotNull((await fresh.GetSigningCredentialsAsync(Ct)).Key.KeyId);
    }

    [Fact]
    public async Task EmptyStoreWithoutInitialize_RefusesToSign()
    {
        var ring = Track(new KeyRing(_store.SigningKeys, _rootKey, Options(), _time));

        await Assert.ThrowsAsync<KeyRingException>(async () => await ring.GetSigningCredentialsAsync(Ct));
    }

    [Fact]
    public async Task PrivateKey_IsEncryptedAtRest()
    {
        var ring = await StartAsync();
        var credentials = await ring.GetSigningCredentialsAsync(Ct);
        var ecdsa = ((ECDsaSecurityKey)credentials.Key).ECDsa;
        var d = ecdsa.ExportParameters(includePrivateParameters: true).D!;
        var pkcs8 = ecdsa.ExportPkcs8PrivateKey();

        var stored = (await _store.SigningKeys.GetAsync(credentials.Key.KeyId, Ct))!;

        Assert.Equal(-1, stored.ProtectedPrivateKey.AsSpan().IndexOf(d));
        Assert.Equal(-1, stored.ProtectedPrivateKey.AsSpan().IndexOf(pkcs8));
        Assert.Equal(_rootKey.Id, stored.RootKeyId);
        Assert.DoesNotContain("\"d\"", stored.PublicJwk, StringComparison.Ordinal);
        foreach (var file in await StoredFilesAsync())
        {
            var bytes = await ReadSharedAsync(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(d));
        }
    }

    [Fact]
    public async Task WrongRootKey_FailsClosed()
    {
        await StartAsync();
        using var otherRoot = RootKey.Generate();
        var ring = Track(new KeyRing(_store.SigningKeys, otherRoot, Options(), _time));

        var error = await Assert.ThrowsAsync<KeyRingException>(() => ring.InitializeAsync(Ct));
        Assert.Contains(otherRoot.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("root key", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<KeyRingException>(async () => await ring.GetSigningCredentialsAsync(Ct));
    }

    [Fact]
    public async Task TamperedPrivateKey_FailsClosed()
    {
        var kid = (await (await StartAsync()).GetSigningCredentialsAsync(Ct)).Key.KeyId;
        await ZeroPrivateKeyAsync(kid);

        var ring = Track(new KeyRing(_store.SigningKeys, _rootKey, Options(), _time));

        await Assert.ThrowsAsync<KeyRingException>(() => ring.InitializeAsync(Ct));
        await Assert.ThrowsAsync<KeyRingException>(async () => await ring.GetSigningCredentialsAsync(Ct));
    }

    [Fact]
    public async Task AlteredPublishedKey_FailsClosed()
    {
        var ring = await StartAsync();
        var first = (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId;
        var second = (await ring.RotateAsync(Ct)).Kid;
        await ExecuteAsync("UPDATE signing_keys SET public_jwk = (SELECT public_jwk FROM signing_keys WHERE kid = @kid) WHERE kid <> @kid;", first);

        var restarted = Track(new KeyRing(_store.SigningKeys, _rootKey, Options(), _time));

        var error = await Assert.ThrowsAsync<KeyRingException>(() => restarted.InitializeAsync(Ct));
        Assert.Contains(second, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SealedKeyMovedToAnotherKid_FailsClosed()
    {
        var ring = await StartAsync();
        var first = (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId;
        var second = (await ring.RotateAsync(Ct)).Kid;
        await ExecuteAsync("UPDATE signing_keys SET protected_private_key = (SELECT protected_private_key FROM signing_keys WHERE kid = @kid) WHERE kid <> @kid;", first);

        var restarted = Track(new KeyRing(_store.SigningKeys, _rootKey, Options(), _time));

        var error = await Assert.ThrowsAsync<KeyRingException>(() => restarted.InitializeAsync(Ct));
        Assert.Contains(second, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotatedKey_IsPublishedBeforeItSigns()
    {
        var ring = await StartAsync(Options(publishDelay: TimeSpan.FromMinutes(10)));
        var old = (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId;

        var next = await ring.RotateAsync(Ct);

        Assert.Equal(SigningKeyStatus.Pending, next.Status);
        Assert.False(next.Signing);
        Assert.Equal(T0.AddMinutes(10), next.ActivatesAt);
        Assert.Equal(old, (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId);
        Assert.Equal([old, next.Kid], await PublishedKidsAsync(ring));

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(old, (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(next.Kid, (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId);
    }

    [Fact]
    public async Task ReplacedKey_StaysPublishedUntilItsTokensExpired()
    {
        var ring = await StartAsync(Options(publishDelay: TimeSpan.FromMinutes(10)));
        var old = (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId;
        var next = await ring.RotateAsync(Ct);

        var listed = (await ring.ListAsync(Ct)).Single(k => k.Kid == old);
        Assert.Equal(T0.AddMinutes(10) + TimeSpan.FromHours(1), listed.RetiresAt);

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        Assert.Equal([old, next.Kid], await PublishedKidsAsync(ring));
        Assert.Equal(SigningKeyStatus.Active, (await ring.ListAsync(Ct)).Single(k => k.Kid == old).Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([next.Kid], await PublishedKidsAsync(ring));
        Assert.Equal(SigningKeyStatus.Retired, (await ring.ListAsync(Ct)).Single(k => k.Kid == old).Status);
        Assert.DoesNotContain(await ring.GetValidationKeysAsync(Ct), k => k.KeyId == old);
    }

    [Fact]
    public async Task RotationWithoutPublishDelay_SignsWithNewKeyAtOnce()
    {
        var ring = await StartAsync();
        var old = (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId;

        var next = await ring.RotateAsync(Ct);

        Assert.Equal(SigningKeyStatus.Active, next.Status);
        Assert.True(next.Signing);
        Assert.Equal(next.Kid, (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId);
        Assert.Equal([old, next.Kid], await PublishedKidsAsync(ring));
    }

    [Fact]
    public async Task RepeatedRotation_KeepsActivationsInSequenceOrder()
    {
        var ring = await StartAsync(Options(publishDelay: TimeSpan.FromMinutes(10)));
        await ring.RotateAsync(Ct);
        _time.Advance(TimeSpan.FromMinutes(1));

        var third = await ring.RotateAsync(Ct);

        var keys = await ring.ListAsync(Ct);
        Assert.Equal([1L, 2L, 3L], keys.Select(k => k.Sequence));
        Assert.True(keys.Zip(keys.Skip(1)).All(p => p.First.ActivatesAt <= p.Second.ActivatesAt));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(third.Kid, (await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId);
    }

    [Fact]
    public async Task RotationByAnotherProcess_IsSeenAfterTheCacheDuration()
    {
        var options = Options(publishDelay: TimeSpan.FromMinutes(5), cache: TimeSpan.FromSeconds(30));
        var here = await StartAsync(options);
        var there = await StartAsync(options);

        var next = await there.RotateAsync(Ct);

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Contains(next.Kid, await PublishedKidsAsync(here));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(next.Kid, (await here.GetSigningCredentialsAsync(Ct)).Key.KeyId);
    }

    [Fact]
    public async Task ConcurrentRotations_BothSucceedWithDistinctSequences()
    {
        var one = await StartAsync();
        var two = await StartAsync();

        var results = await Task.WhenAll(Task.Run(() => one.RotateAsync(Ct), Ct), Task.Run(() => two.RotateAsync(Ct), Ct));

        Assert.NotEqual(results[0].Kid, results[1].Kid);
        Assert.Equal([1L, 2L, 3L], (await one.ListAsync(Ct)).Select(k => k.Sequence));
    }

    [Fact]
    public async Task Jwks_HasPublicEs256SigKeysOnly()
    {
        var ring = await StartAsync();
        await ring.RotateAsync(Ct);

        using var jwks = JsonDocument.Parse(await ring.GetJwksJsonAsync(Ct));

        var keys = jwks.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        foreach (var key in keys)
        {
            Assert.Equal(["kty", "crv", "x", "y", "kid", "alg", "use"], key.EnumerateObject().Select(p => p.Name));
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.Equal("ES256", key.GetProperty("alg").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
        }
    }

    [Fact]
    public async Task TrustBundle_HasSpiffeShape()
    {
        var ring = await StartAsync(Options(refreshHint: TimeSpan.FromSeconds(90)));

        using var bundle = JsonDocument.Parse(await ring.GetTrustBundleJsonAsync(Ct));

        var root = bundle.RootElement;
        var key = Assert.Single(root.GetProperty("keys").EnumerateArray());
        Assert.Equal(["kty", "crv", "x", "y", "kid", "use"], key.EnumerateObject().Select(p => p.Name));
        Assert.Equal("jwt-svid", key.GetProperty("use").GetString());
        Assert.Equal(1, root.GetProperty("spiffe_sequence").GetInt64());
        Assert.Equal(90, root.GetProperty("spiffe_refresh_hint").GetInt64());
    }

    [Fact]
    public async Task SpiffeSequence_GrowsOnEveryBundleChange()
    {
        var ring = await StartAsync();
        var sequences = new List<long> { await SequenceAsync(ring) };

        await ring.RotateAsync(Ct);
        sequences.Add(await SequenceAsync(ring));
        _time.Advance(TimeSpan.FromHours(1));
        sequences.Add(await SequenceAsync(ring));
        sequences.Add(await SequenceAsync(ring));

        Assert.Equal([1L, 2L, 3L, 3L], sequences);
    }

    [Fact]
    public async Task SignedToken_VerifiesAgainstPublishedJwks()
    {
        var ring = await StartAsync();
        var handler = new JsonWebTokenHandler();
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://writ.test",
            Audience = "aud",
            Subject = new ClaimsIdentity([new Claim("sub", "spiffe://writ.test/agent/research")]),
            SigningCredentials = await ring.GetSigningCredentialsAsync(Ct),
            IssuedAt = T0.UtcDateTime,
            NotBefore = T0.UtcDateTime,
            Expires = T0.AddMinutes(5).UtcDateTime,
        });

        var jwks = new JsonWebKeySet(await ring.GetJwksJsonAsync(Ct));
        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "https://writ.test",
            ValidAudience = "aud",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            LifetimeValidator = (_, _, _, _) => true,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal((await ring.GetSigningCredentialsAsync(Ct)).Key.KeyId, new JsonWebToken(token).Kid);
    }

    [Fact]
    public async Task ValidationKeys_CoverEveryPublishedKey()
    {
        var ring = await StartAsync(Options(publishDelay: TimeSpan.FromMinutes(10)));
        await ring.RotateAsync(Ct);

        var kids = (await ring.GetValidationKeysAsync(Ct)).Select(k => k.KeyId);

        Assert.Equal(await PublishedKidsAsync(ring), kids);
    }

    private static KeyRingOptions Options(TimeSpan? publishDelay = null, TimeSpan? cache = null, TimeSpan? refreshHint = null) => new()
    {
        PublishDelay = publishDelay ?? TimeSpan.Zero,
        MaxTokenLifetime = TimeSpan.FromHours(1),
        CacheDuration = cache ?? TimeSpan.FromSeconds(30),
        RefreshHint = refreshHint ?? TimeSpan.FromMinutes(1),
    };

    private static async Task<List<string>> PublishedKidsAsync(KeyRing ring)
    {
        using var jwks = JsonDocument.Parse(await ring.GetJwksJsonAsync(Ct));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }

    private static async Task<long> SequenceAsync(KeyRing ring)
    {
        using var bundle = JsonDocument.Parse(await ring.GetTrustBundleJsonAsync(Ct));
        return bundle.RootElement.GetProperty("spiffe_sequence").GetInt64();
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    private async Task<KeyRing> StartAsync(KeyRingOptions? options = null)
    {
        var ring = Track(new KeyRing(_store.SigningKeys, _rootKey, options ?? Options(), _time));
        await ring.InitializeAsync(Ct);
        return ring;
    }

    private KeyRing Track(KeyRing ring)
    {
        _rings.Add(ring);
        return ring;
    }
}
