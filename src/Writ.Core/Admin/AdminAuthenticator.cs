using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>Resolves a presented admin token to its caller: the bootstrap token or an unrevoked named token.</summary>
public sealed class AdminAuthenticator
{
    private const int MaxTokenLength = 512;
    private readonly IWritStore store;
    private readonly string bootstrapHash;

    /// <summary>Creates the authenticator; <paramref name="bootstrapToken"/> is kept only as a hash.</summary>
    public AdminAuthenticator(IWritStore store, string bootstrapToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bootstrapToken);
        this.store = store;
        bootstrapHash = SecretHash.Compute(bootstrapToken);
    }

    /// <summary>The caller for <paramref name="token"/>, or null when it is unknown or revoked.</summary>
    public async Task<AdminCaller?> AuthenticateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var hash = SecretHash.Compute(token);
        if (ConstantTime.EqualsAscii(hash, bootstrapHash))
        {
            return new AdminCaller(AdminCaller.BootstrapName, null);
        }

        // Lookup by hash: the hash of a high-entropy token leaks nothing useful through timing.
        var named = await store.AdminTokens.FindByHashAsync(hash, cancellationToken);
        return named is { RevokedAt: null } && ConstantTime.EqualsAscii(named.TokenHash, hash)
            ? new AdminCaller(named.Name, named.Owner)
            : null;
    }
}
