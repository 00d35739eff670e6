using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>Token signing keys: list and rotate (unscoped admin tokens only).</summary>
public sealed class SigningKeyAdmin(IWritStore store, KeyRing keys, TimeProvider time)
{
    /// <summary>Every key with its effective status.</summary>
    public async Task<AdminResult<IReadOnlyList<SigningKeyInfo>>> ListAsync(AdminCaller caller, CancellationToken cancellationToken) =>
        caller.IsScoped
            ? AdminError.OwnerScopeOnly(caller)
            : new AdminResult<IReadOnlyList<SigningKeyInfo>>(await keys.ListAsync(cancellationToken), null);

    /// <summary>Publishes the next key; it signs after the publish delay, the old one stays published until its tokens expired.</summary>
    public async Task<AdminResult<SigningKeyInfo>> RotateAsync(AdminCaller caller, CancellationToken cancellationToken)
    {
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        SigningKeyInfo created;
        try
        {
            created = await keys.RotateAsync(cancellationToken);
        }
        catch (KeyRingException ex)
        {
            return AdminError.Conflict("rotation_failed", ex.Message);
        }

        await ChangeLog.RecordAsync(store, time.GetUtcNow(), caller, "key.rotate", created.Kid, null, cancellationToken);
        return created;
    }
}
