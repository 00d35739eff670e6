using System.Globalization;
using Writ.Core.Audit;
using Writ.Core.Domain;
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

        await ChangeLog.IntendAsync(store, caller, "key.rotate", "signing-keys", null, cancellationToken);
        SigningKeyInfo created;
        try
        {
            created = await keys.RotateAsync(cancellationToken);
        }
        catch (KeyRingException ex)
        {
            return AdminError.Conflict("rotation_failed", ex.Message);
        }

        await AuditLogs.For(store).RecordDurableAsync(
            new AuditEvent
            {
                Type = AuditEventTypes.KeyRotated,
                Actor = caller.Name,
                Target = created.Kid,
                Decision = WireName.Of(created.Status),
                Detail = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["activates_at"] = created.ActivatesAt.ToString("O", CultureInfo.InvariantCulture),
                },
            },
            cancellationToken);
        await ChangeLog.RecordAsync(store, time.GetUtcNow(), caller, "key.rotate", created.Kid, null, cancellationToken);
        return created;
    }
}
