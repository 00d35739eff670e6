using System.Security.Cryptography;
using System.Text;
using Writ.Core.Admin;
using Writ.Core.Leases;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Connections;

/// <summary>
/// Registers, lists, removes and rotates connections. Secrets go in sealed and never come out of
/// this service: results carry the stored <see cref="Connection"/>, whose secret is ciphertext.
/// Every change is recorded in the audit log write-ahead (requested before, applied after), like every admin change.
/// </summary>
public sealed class ConnectionAdmin(IWritStore store, ConnectionSecrets secrets, LeaseRevoker leases, TimeProvider time)
{
    /// <summary>Registers a connection.</summary>
    public async Task<AdminResult<Connection>> AddAsync(AdminCaller caller, AddConnectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (AdminValidation.Name(request.Name, "name") is { } nameError)
        {
            return nameError;
        }

        if (request.Owner is null)
        {
            return AdminError.Invalid("missing_owner", "'owner' is required: every connection has an accountable owner");
        }

        if (AdminValidation.Name(request.Owner, "owner") is { } ownerError)
        {
            return ownerError;
        }

        if (!caller.MayManage(request.Owner))
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        if (!ConnectionKinds.TryParse(request.Kind, out var kind))
        {
            return AdminError.Invalid("invalid_kind", "'kind' must be static_secret, oauth_client_credentials or postgres_admin");
        }

        if (ConnectionRules.Validate(request, kind, out var settings) is { } error)
        {
            return error;
        }

        if (await store.Owners.GetAsync(request.Owner, cancellationToken) is null)
        {
            return AdminError.Invalid("owner_not_found", $"owner '{request.Owner}' does not exist; register it first (writ owner add {request.Owner})");
        }

        var now = time.GetUtcNow();
        var id = "con_" + RandomToken.Create(16);
        var connection = new Connection(id, request.Name!, request.Owner, kind, settings, request.Metadata ?? new Dictionary<string, string>(), Seal(id, request.Secret!), now, null);
        await ChangeLog.IntendAsync(store, caller, "connection.add", connection.Name, Detail(connection), cancellationToken);
        var added = await store.Connections.AddAsync(connection, cancellationToken);
        if (added.Outcome == StoreOutcome.AlreadyExists)
        {
            return AdminError.Conflict("connection_exists", $"connection '{request.Name}' already exists");
        }

        if (added.Outcome == StoreOutcome.ReferenceNotFound)
        {
            return AdminError.Invalid("owner_not_found", $"owner '{request.Owner}' does not exist");
        }

        await RecordAsync(caller, connection, "connection.add", cancellationToken);
        return connection;
    }

    /// <summary>Connections; a scoped caller sees only its owner's.</summary>
    public Task<IReadOnlyList<Connection>> ListAsync(AdminCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return store.Connections.ListAsync(caller.Owner, cancellationToken);
    }

    /// <summary>One connection.</summary>
    public async Task<AdminResult<Connection>> GetAsync(AdminCaller caller, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var connection = await store.Connections.GetAsync(name, cancellationToken);

        // A scoped caller learns nothing about other owners' connections, not even that they exist.
        return connection is null || !caller.MayManage(connection.Owner)
            ? AdminError.NotFound("connection_not_found", $"connection '{name}' does not exist")
            : connection;
    }

    /// <summary>Removes a connection after ending every active lease from it.</summary>
    public async Task<AdminResult<RemovedConnection>> RemoveAsync(AdminCaller caller, string name, CancellationToken cancellationToken)
    {
        var found = await GetAsync(caller, name, cancellationToken);
        if (!found.Succeeded)
        {
            return found.Error!;
        }

        var connection = found.Value!;
        await ChangeLog.IntendAsync(store, caller, "connection.remove", connection.Name, Detail(connection), cancellationToken);
        var ended = await leases.RevokeForConnectionAsync(connection, "connection removed by " + caller.Name, cancellationToken);
        if (ended.Count(l => l.State == LeaseState.FailedRevocation) is var stuck and > 0)
        {
            // Its admin login is what drops the roles still out there; keep it until they are gone.
            return AdminError.Conflict(
                "leases_stuck",
                $"{stuck} lease(s) from connection '{name}' could not be revoked upstream yet and are retried; remove the connection once `writ lease list --stuck --connection {name}` is empty");
        }

        var removed = await store.Connections.RemoveAsync(name, cancellationToken);
        if (!removed.Succeeded)
        {
            return AdminError.NotFound("connection_not_found", $"connection '{name}' does not exist");
        }

        await RecordAsync(caller, connection, "connection.remove", cancellationToken, ("leasesEnded", ended.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new RemovedConnection(connection, ended);
    }

    /// <summary>
    /// Replaces the secret with <paramref name="newSecret"/>, or — when it is null — seals the
    /// current secret again under the current KEK with a fresh data key.
    /// </summary>
    public async Task<AdminResult<Connection>> RotateSecretAsync(AdminCaller caller, string name, string? newSecret, CancellationToken cancellationToken)
    {
        if (newSecret is not null && ConnectionRules.Secret(newSecret) is { } secretError)
        {
            return secretError;
        }

        var found = await GetAsync(caller, name, cancellationToken);
        if (!found.Succeeded)
        {
            return found.Error!;
        }

        var connection = found.Value!;
        SealedSecret replacement;
        if (newSecret is null)
        {
            var resealed = secrets.TryReseal(connection.Id, connection.Secret);
            if (resealed is null)
            {
                return AdminError.Conflict(
                    "secret_unreadable",
                    $"the secret of connection '{name}' cannot be decrypted with the configured KEKs (it was sealed under '{connection.Secret.KekId}'); configure that KEK, or give a new secret");
            }

            replacement = resealed;
        }
        else
        {
            replacement = Seal(connection.Id, newSecret);
        }

        var action = newSecret is null ? "connection.reseal" : "connection.rotate_secret";
        await ChangeLog.IntendAsync(store, caller, action, connection.Name, Detail(connection), cancellationToken);
        var now = time.GetUtcNow();
        var updated = await store.Connections.ReplaceSecretAsync(name, connection.Secret, replacement, now, cancellationToken);
        if (!updated.Succeeded)
        {
            return AdminError.Conflict("connection_changed", $"connection '{name}' was removed or rotated meanwhile; try again");
        }

        await RecordAsync(caller, updated.Value!, action, cancellationToken);
        return updated.Value!;
    }

    private SealedSecret Seal(string connectionId, string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        try
        {
            return secrets.Seal(connectionId, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    // Write-ahead like every admin change: IntendAsync made the durable "requested" record before the change;
    // this makes the "applied" one durable (and writes the change-log row) before the response leaves.
    private Task RecordAsync(AdminCaller caller, Connection connection, string action, CancellationToken cancellationToken, params (string Key, string Value)[] extra)
    {
        var detail = Detail(connection);
        foreach (var (key, value) in extra)
        {
            detail += $";{key}={value}";
        }

        return ChangeLog.RecordAsync(store, time.GetUtcNow(), caller, action, connection.Name, detail, cancellationToken);
    }

    private static string Detail(Connection connection) =>
        $"kind={ConnectionKinds.Of(connection.Kind)};owner={connection.Owner};connectionId={connection.Id};kek={connection.Secret.KekId}";
}

/// <summary>A removed connection and the leases that ended with it.</summary>
/// <param name="Connection">The connection as it was.</param>
/// <param name="EndedLeases">The leases revoked (or queued for a retried revocation) because of the removal.</param>
public sealed record RemovedConnection(Connection Connection, IReadOnlyList<Lease> EndedLeases);
