using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>Reads the change log: which admin token made which change (unscoped admin tokens only).</summary>
public sealed class ChangeLogAdmin(IWritStore store)
{
    /// <summary>Most changes one call returns.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The most recent changes, newest first.</summary>
    public async Task<AdminResult<IReadOnlyList<ChangeRecord>>> ListAsync(AdminCaller caller, int limit, CancellationToken cancellationToken)
    {
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        if (limit is < 1 or > MaxLimit)
        {
            return AdminError.Invalid("invalid_limit", $"'limit' must be 1 to {MaxLimit}");
        }

        return new AdminResult<IReadOnlyList<ChangeRecord>>(await store.ChangeLog.ListRecentAsync(limit, cancellationToken), null);
    }
}
