using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Keys;

/// <summary>
/// The token signing keys: creates the first ES256 key, rotates (publish first, sign later, keep
/// the old key published until its tokens expired), hands out the signing credentials of the active
/// key and renders the JWKS and SPIFFE trust bundle. Private keys are stored sealed under the
/// <see cref="RootKey"/> and bound to their kid. Safe for concurrent use; one instance per process.
/// </summary>
public sealed class KeyRing : IDisposable
{
    /// <summary>The JWS algorithm of every signing key.</summary>
    public const string Algorithm = "ES256";

    private const string SealPurpose = "signing-key v1";
    private const int MaxRotationAttempts = 5;

    private readonly ISigningKeyStore _store;
    private readonly RootKey _rootKey;
    private readonly KeyRingOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly ConcurrentDictionary<string, SigningCredentials> _signing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ECDsaSecurityKey> _public = new(StringComparer.Ordinal);
    private volatile Snapshot? _snapshot;

    /// <summary>Creates the key ring; call <see cref="InitializeAsync"/> once at start.</summary>
    public KeyRing(ISigningKeyStore store, RootKey rootKey, KeyRingOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rootKey);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.PublishDelay < TimeSpan.Zero || options.MaxTokenLifetime <= TimeSpan.Zero || options.RefreshHint <= TimeSpan.Zero || options.CacheDuration < TimeSpan.Zero)
        {
            throw new ArgumentException("key ring durations must be positive (publish delay and cache duration may be zero)", nameof(options));
        }

        _store = store;
        _rootKey = rootKey;
        _options = options;
        _time = timeProvider;
    }

    /// <summary>
    /// Creates the first key when none is published, and checks that the configured root key opens
    /// every published key; fails closed with <see cref="KeyRingException"/> otherwise.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var schedule = (await ReloadAsync(cancellationToken)).Schedule;
        if (!schedule.Published.Any())
        {
            var now = _time.GetUtcNow();
            var next = schedule.Keys.Count == 0 ? 1 : schedule.Keys[^1].Sequence + 1;
            var created = await TryCreateAsync(next, now, now, cancellationToken);
            schedule = (await ReloadAsync(cancellationToken)).Schedule;
            if (created is null && !schedule.Published.Any())
            {
                throw new KeyRingException("could not create the first signing key");
            }
        }

        foreach (var key in schedule.Published)
        {
            await GetCredentialsAsync(key.Kid, cancellationToken);
        }
    }

    /// <summary>The credentials of the key that signs now (ES256, <c>kid</c> set), for <c>JsonWebTokenHandler</c>.</summary>
    /// <exception cref="KeyRingException">No key is active or it cannot be opened with the root key.</exception>
    public async ValueTask<SigningCredentials> GetSigningCredentialsAsync(CancellationToken cancellationToken)
    {
        var schedule = await CurrentAsync(cancellationToken);
        var signing = schedule.Signing ?? throw new KeyRingException("no signing key is active; start writ once to create one, or rotate keys");
        return _signing.TryGetValue(signing.Kid, out var cached) ? cached : await GetCredentialsAsync(signing.Kid, cancellationToken);
    }

    /// <summary>The public keys of every published key (pending, active and not yet retired), each with its <c>KeyId</c>.</summary>
    public async ValueTask<IReadOnlyList<SecurityKey>> GetValidationKeysAsync(CancellationToken cancellationToken)
    {
        var schedule = await CurrentAsync(cancellationToken);
        return schedule.ValidationKeys ??= [.. schedule.Published.Select(k => (SecurityKey)_public.GetOrAdd(k.Kid, static (kid, jwk) => CreatePublicKey(kid, jwk), k.PublicJwk))];
    }

    /// <summary>Every key ever created, with its effective status now, ordered by sequence.</summary>
    public async Task<IReadOnlyList<SigningKeyInfo>> ListAsync(CancellationToken cancellationToken) =>
        (await ReloadAsync(cancellationToken)).Schedule.Keys;

    /// <summary>
    /// Creates and publishes the next key, which starts signing after <see cref="KeyRingOptions.PublishDelay"/>;
    /// the current key keeps signing until then and stays published for <see cref="KeyRingOptions.MaxTokenLifetime"/> more.
    /// </summary>
    public async Task<SigningKeyInfo> RotateAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxRotationAttempts; attempt++)
        {
            var snapshot = await ReloadAsync(cancellationToken);
            var now = _time.GetUtcNow();
            var stored = snapshot.Keys;
            var previous = stored.Count == 0 ? null : stored[^1];
            var activatesAt = now + _options.PublishDelay;
            if (previous is not null && previous.ActivatesAt > activatesAt)
            {
                // Activation times must grow with the sequence, or two keys would claim the same window.
                activatesAt = previous.ActivatesAt;
            }

            var created = await TryCreateAsync((previous?.Sequence ?? 0) + 1, now, activatesAt, cancellationToken);
            if (created is null)
            {
                continue;
            }

            if (previous is not null && previous.Status != SigningKeyStatus.Retired)
            {
                await _store.UpdateScheduleAsync(previous.Kid, previous.Status, activatesAt + _options.MaxTokenLifetime, cancellationToken);
            }

            var schedule = (await ReloadAsync(cancellationToken)).Schedule;
            return schedule.Keys.Single(k => k.Kid == created.Kid);
        }

        throw new KeyRingException("key rotation kept conflicting with concurrent rotations; try again");
    }

    /// <summary>
    /// Withdraws a key at once (after a compromise): it is retired now, so it leaves the JWKS and every token
    /// it signed stops validating. When it was the signing key (or nothing else can sign now), a new key
    /// that signs immediately is created first, skipping the publish delay. Null when no key has this kid.
    /// </summary>
    /// <returns>The revoked key as it is now, and the key created to replace it (null when none was needed).</returns>
    public async Task<(SigningKeyInfo Revoked, SigningKeyInfo? Replacement)?> RevokeAsync(string kid, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxRotationAttempts; attempt++)
        {
            var snapshot = await ReloadAsync(cancellationToken);
            var target = snapshot.Schedule.Keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));
            if (target is null)
            {
                return null;
            }

            if (target.Status == SigningKeyStatus.Retired)
            {
                return (target, null);
            }

            var now = _time.GetUtcNow();
            SigningKey? replacement = null;
            var othersCanSign = snapshot.Schedule.Keys.Any(k => k.Kid != kid && k.Status == SigningKeyStatus.Active);
            if (target.Signing || !othersCanSign)
            {
                // A key that activates now: the revoked key must not sign one more token, so publish delay is waived.
                replacement = await TryCreateAsync(snapshot.Keys[^1].Sequence + 1, now, now, cancellationToken);
                if (replacement is null)
                {
                    continue;
                }
            }

            await _store.UpdateScheduleAsync(kid, SigningKeyStatus.Retired, now, cancellationToken);
            var schedule = (await ReloadAsync(cancellationToken)).Schedule;
            return (schedule.Keys.Single(k => k.Kid == kid), replacement is null ? null : schedule.Keys.Single(k => k.Kid == replacement.Kid));
        }

        throw new KeyRingException("key revocation kept conflicting with concurrent rotations; try again");
    }

    /// <summary>Reads the stored keys again now (another process may have rotated or revoked one).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    /// <summary>The JWKS of the published keys: <c>{"keys":[{kty,crv,x,y,kid,alg,use:"sig"}]}</c>.</summary>
    public async Task<string> GetJwksJsonAsync(CancellationToken cancellationToken)
    {
        var schedule = await CurrentAsync(cancellationToken);
        return schedule.Jwks ??= WriteKeySet(schedule, "sig", Algorithm, bundle: false);
    }

    /// <summary>
    /// The SPIFFE trust bundle: the published keys with <c>use</c> <c>jwt-svid</c>, plus
    /// <c>spiffe_sequence</c> and <c>spiffe_refresh_hint</c> (seconds).
    /// </summary>
    public async Task<string> GetTrustBundleJsonAsync(CancellationToken cancellationToken)
    {
        var schedule = await CurrentAsync(cancellationToken);
        return schedule.TrustBundle ??= WriteKeySet(schedule, "jwt-svid", algorithm: null, bundle: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var credentials in _signing.Values)
        {
            ((ECDsaSecurityKey)credentials.Key).ECDsa.Dispose();
        }

        foreach (var key in _public.Values)
        {
            key.ECDsa.Dispose();
        }

        _reload.Dispose();
    }

    internal static string SealAssociatedData(string kid) => "kid=" + kid;

    private static ECDsaSecurityKey CreatePublicKey(string kid, string publicJwk)
    {
        var ecdsa = ECDsa.Create(EcJwk.ReadPublic(publicJwk));
        return new ECDsaSecurityKey(ecdsa) { KeyId = kid };
    }

    private async ValueTask<KeySchedule> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var snapshot = _snapshot;
        if (snapshot is not null && now >= snapshot.LoadedAt && now < snapshot.ValidUntil)
        {
            return snapshot.Schedule;
        }

        return (await ReloadAsync(cancellationToken)).Schedule;
    }

    private async Task<Snapshot> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            var keys = await _store.ListAsync(cancellationToken);
            var now = _time.GetUtcNow();
            var schedule = KeySchedule.Evaluate(keys, now, _options.MaxTokenLifetime);

            // The derived statuses hold until the next activation or retirement, or until another
            // process may have rotated (the cache duration), whichever comes first.
            var validUntil = now + _options.CacheDuration;
            foreach (var key in schedule.Keys)
            {
                if (key.ActivatesAt > now && key.ActivatesAt < validUntil)
                {
                    validUntil = key.ActivatesAt;
                }

                if (key.RetiresAt > now && key.RetiresAt < validUntil)
                {
                    validUntil = key.RetiresAt.Value;
                }
            }

            var snapshot = new Snapshot(now, validUntil, [.. keys.OrderBy(k => k.Sequence)], schedule);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _reload.Release();
        }
    }

    private async Task<SigningKey?> TryCreateAsync(long sequence, DateTimeOffset now, DateTimeOffset activatesAt, CancellationToken cancellationToken)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        var kid = EcJwk.Thumbprint(parameters);
        var pkcs8 = ecdsa.ExportPkcs8PrivateKey();
        byte[] sealedKey;
        try
        {
            sealedKey = _rootKey.Seal(pkcs8, SealPurpose, SealAssociatedData(kid));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        var status = activatesAt <= now ? SigningKeyStatus.Active : SigningKeyStatus.Pending;
        var key = new SigningKey(kid, Algorithm, EcJwk.PublicJson(parameters, kid, "sig", Algorithm), sealedKey, _rootKey.Id, status, now, activatesAt, null, sequence);
        var result = await _store.AddAsync(key, cancellationToken);
        return result.Succeeded ? key : null;
    }

    private async Task<SigningCredentials> GetCredentialsAsync(string kid, CancellationToken cancellationToken)
    {
        if (_signing.TryGetValue(kid, out var cached))
        {
            return cached;
        }

        var key = await _store.GetAsync(kid, cancellationToken) ?? throw new KeyRingException($"signing key {kid} is not in the store");
        var credentials = Open(key);
        return _signing.GetOrAdd(kid, credentials);
    }

    private SigningCredentials Open(SigningKey key)
    {
        if (!string.Equals(key.RootKeyId, _rootKey.Id, StringComparison.Ordinal))
        {
            throw new KeyRingException(
                $"signing key {key.Kid} is protected by root key {key.RootKeyId}, but the configured root key is {_rootKey.Id}; " +
                $"start writ with the root key the keys were created with ({RootKeySource.EnvironmentVariable} or the root key file)");
        }

        var pkcs8 = _rootKey.TryOpen(key.ProtectedPrivateKey, SealPurpose, SealAssociatedData(key.Kid))
            ?? throw new KeyRingException($"signing key {key.Kid} cannot be decrypted with root key {_rootKey.Id}: the stored key was altered or the root key is wrong");
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value
                || EcJwk.Thumbprint(parameters) != key.Kid
                || EcJwk.Thumbprint(EcJwk.ReadPublic(key.PublicJwk)) != key.Kid)
            {
                throw new KeyRingException($"signing key {key.Kid} does not match its kid or its published key; the stored key was altered");
            }
        }
        catch (CryptographicException ex)
        {
            ecdsa.Dispose();
            throw new KeyRingException($"signing key {key.Kid} is not a valid P-256 private key", ex);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        return new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = key.Kid }, SecurityAlgorithms.EcdsaSha256);
    }

    private string WriteKeySet(KeySchedule schedule, string use, string? algorithm, bool bundle)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in schedule.Published)
            {
                EcJwk.Write(writer, EcJwk.ReadPublic(key.PublicJwk), key.Kid, use, algorithm);
            }

            writer.WriteEndArray();
            if (bundle)
            {
                writer.WriteNumber("spiffe_sequence", schedule.Sequence);
                writer.WriteNumber("spiffe_refresh_hint", (long)Math.Ceiling(_options.RefreshHint.TotalSeconds));
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed record Snapshot(DateTimeOffset LoadedAt, DateTimeOffset ValidUntil, IReadOnlyList<SigningKey> Keys, KeySchedule Schedule);
}
