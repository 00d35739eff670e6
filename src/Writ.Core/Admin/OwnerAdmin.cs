using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>Owners: the accountable humans or teams behind agents.</summary>
public sealed class OwnerAdmin(IWritStore store, TimeProvider time)
{
    /// <summary>Registers an owner (unscoped admin tokens only).</summary>
    public async Task<AdminResult<Owner>> AddAsync(AdminCaller caller, string? name, string? displayName, string? email, CancellationToken cancellationToken)
    {
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        var error = AdminValidation.Name(name, "name")
            ?? AdminValidation.Text(displayName, "displayName", 200, required: false)
            ?? AdminValidation.Text(email, "email", 254, required: false);
        if (error is not null)
        {
            return error;
        }

        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
        {
            return AdminError.Invalid("invalid_email", "'email' must be an email address");
        }

        var now = time.GetUtcNow();
        var owner = new Owner(name!, displayName, email, now);
        await ChangeLog.IntendAsync(store, caller, "owner.add", name!, null, cancellationToken);
        var added = await store.Owners.AddAsync(owner, cancellationToken);
        if (added.Outcome == StoreOutcome.AlreadyExists)
        {
            return AdminError.Conflict("owner_exists", $"owner '{name}' already exists");
        }

        await ChangeLog.RecordAsync(store, now, caller, "owner.add", name!, null, cancellationToken);
        return owner;
    }

    /// <summary>Lists owners; a scoped caller sees only its own.</summary>
    public async Task<IReadOnlyList<Owner>> ListAsync(AdminCaller caller, CancellationToken cancellationToken)
    {
        var all = await store.Owners.ListAsync(cancellationToken);
        return caller.IsScoped ? [.. all.Where(o => caller.MayManage(o.Name))] : all;
    }

    /// <summary>One owner.</summary>
    public async Task<AdminResult<Owner>> GetAsync(AdminCaller caller, string name, CancellationToken cancellationToken)
    {
        if (!caller.MayManage(name))
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        var owner = await store.Owners.GetAsync(name, cancellationToken);
        return owner is null ? AdminError.NotFound("owner_not_found", $"owner '{name}' does not exist") : owner;
    }
}
