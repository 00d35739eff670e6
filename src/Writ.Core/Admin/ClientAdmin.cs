using Writ.Core.Domain;
using Writ.Core.Identity;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>Clients: the machines that call Writ (unscoped admin tokens only).</summary>
public sealed class ClientAdmin(IWritStore store, TimeProvider time)
{
    /// <summary>Creates a client; a generated secret is in the result only, never stored in clear.</summary>
    public async Task<AdminResult<CreatedClient>> AddAsync(AdminCaller caller, string? name, string? owner, string? authMethod, string? jwks, CancellationToken cancellationToken)
    {
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        if ((AdminValidation.Name(name, "name") ?? (owner is null ? null : AdminValidation.Name(owner, "owner"))) is { } error)
        {
            return error;
        }

        if (!WireName.TryParse(authMethod, out ClientAuthMethod method))
        {
            return AdminError.Invalid("invalid_auth_method", "'authMethod' must be client_secret or private_key_jwt");
        }

        string? secret = null;
        string? secretHash = null;
        if (method == ClientAuthMethod.ClientSecret)
        {
            if (jwks is not null)
            {
                return AdminError.Invalid("invalid_jwks", "'jwks' is only for private_key_jwt clients");
            }

            secret = "wcs." + RandomToken.Create();
            secretHash = SecretHash.Compute(secret);
        }
        else if (jwks is null)
        {
            return AdminError.Invalid("invalid_jwks", "'jwks' (the client's public keys) is required for private_key_jwt");
        }
        else if (!PublicKeySet.TryParse(jwks, out _, out var jwksError))
        {
            return AdminError.Invalid("invalid_jwks", jwksError!);
        }

        if (owner is not null && await store.Owners.GetAsync(owner, cancellationToken) is null)
        {
            return AdminError.Invalid("owner_not_found", $"owner '{owner}' does not exist");
        }

        var now = time.GetUtcNow();
        var client = new Client(name!, owner, method, secretHash, method == ClientAuthMethod.PrivateKeyJwt ? jwks : null, now, Disabled: false);
        await ChangeLog.IntendAsync(store, caller, "client.add", client.Name, "auth=" + WireName.Of(method), cancellationToken);
        var added = await store.Clients.AddAsync(client, cancellationToken);
        if (added.Outcome == StoreOutcome.AlreadyExists)
        {
            return AdminError.Conflict("client_exists", $"client '{name}' already exists");
        }

        if (!added.Succeeded)
        {
            return AdminError.Invalid("owner_not_found", $"owner '{owner}' does not exist");
        }

        await ChangeLog.RecordAsync(store, now, caller, "client.add", client.Name, "auth=" + WireName.Of(method), cancellationToken);
        return new CreatedClient(client, secret);
    }

    /// <summary>All clients.</summary>
    public async Task<AdminResult<IReadOnlyList<Client>>> ListAsync(AdminCaller caller, CancellationToken cancellationToken) =>
        caller.IsScoped
            ? AdminError.OwnerScopeOnly(caller)
            : new AdminResult<IReadOnlyList<Client>>(await store.Clients.ListAsync(null, cancellationToken), null);

    /// <summary>Removes a client; it can no longer authenticate.</summary>
    public async Task<AdminError?> RemoveAsync(AdminCaller caller, string name, CancellationToken cancellationToken)
    {
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        await ChangeLog.IntendAsync(store, caller, "client.remove", name, null, cancellationToken);
        var removed = await store.Clients.RemoveAsync(name, cancellationToken);
        if (!removed.Succeeded)
        {
            return AdminError.NotFound("client_not_found", $"client '{name}' does not exist");
        }

        await ChangeLog.RecordAsync(store, time.GetUtcNow(), caller, "client.remove", name, null, cancellationToken);
        return null;
    }
}

/// <summary>A stored client and its secret, shown once (null for private_key_jwt).</summary>
/// <param name="Client">What is stored.</param>
/// <param name="Secret">The generated client secret, or null.</param>
public sealed record CreatedClient(Client Client, string? Secret);
