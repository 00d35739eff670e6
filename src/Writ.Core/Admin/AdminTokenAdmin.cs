using Writ.Core.Domain;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>Named, revocable admin tokens (unscoped admin tokens only).</summary>
public sealed class AdminTokenAdmin(IWritStore store, TimeProvider time)
{
    /// <summary>Creates a named token, optionally scoped to one owner; its text is in the result only.</summary>
    public async Task<AdminResult<CreatedAdminToken>> CreateAsync(AdminCaller caller, string? name, string? owner, CancellationToken cancellationToken)
    {
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        if ((AdminValidation.Name(name, "name") ?? (owner is null ? null : AdminValidation.Name(owner, "owner"))) is { } error)
        {
            return error;
        }

        if (name == AdminCaller.BootstrapName)
        {
            return AdminError.Invalid("invalid_name", $"'{AdminCaller.BootstrapName}' is reserved for the bootstrap admin token");
        }

        if (owner is not null && await store.Owners.GetAsync(owner, cancellationToken) is null)
        {
            return AdminError.Invalid("owner_not_found", $"owner '{owner}' does not exist");
        }

        var now = time.GetUtcNow();
        var token = "wat." + RandomToken.Create();
        var record = new AdminToken(name!, owner, SecretHash.Compute(token), now, null, caller.Name);
        await ChangeLog.IntendAsync(store, caller, "admin_token.create", record.Name, owner is null ? null : "owner=" + owner, cancellationToken);
        var added = await store.AdminTokens.AddAsync(record, cancellationToken);
        if (added.Outcome == StoreOutcome.AlreadyExists)
        {
            return AdminError.Conflict("admin_token_exists", $"admin token '{name}' already exists (names stay taken after revocation)");
        }

        if (!added.Succeeded)
        {
            return AdminError.Invalid("owner_not_found", $"owner '{owner}' does not exist");
        }

        await ChangeLog.RecordAsync(store, now, caller, "admin_token.create", record.Name, owner is null ? null : "owner=" + owner, cancellationToken);
        return new CreatedAdminToken(record, token);
    }

    /// <summary>All named tokens (hashes are never shown by the API).</summary>
    public async Task<AdminResult<IReadOnlyList<AdminToken>>> ListAsync(AdminCaller caller, CancellationToken cancellationToken) =>
        caller.IsScoped
            ? AdminError.OwnerScopeOnly(caller)
            : new AdminResult<IReadOnlyList<AdminToken>>(await store.AdminTokens.ListAsync(cancellationToken), null);

    /// <summary>Revokes a named token; it stops working at once.</summary>
    public async Task<AdminError?> RevokeAsync(AdminCaller caller, string name, CancellationToken cancellationToken)
    {
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        var now = time.GetUtcNow();
        await ChangeLog.IntendAsync(store, caller, "admin_token.revoke", name, null, cancellationToken);
        var revoked = await store.AdminTokens.RevokeAsync(name, now, cancellationToken);
        if (!revoked.Succeeded)
        {
            return AdminError.NotFound("admin_token_not_found", $"admin token '{name}' does not exist");
        }

        await ChangeLog.RecordAsync(store, now, caller, "admin_token.revoke", name, null, cancellationToken);
        return null;
    }
}

/// <summary>A stored admin token and its text, shown once.</summary>
/// <param name="Record">What is stored (hash only).</param>
/// <param name="Token">The token text.</param>
public sealed record CreatedAdminToken(AdminToken Record, string Token);
