using System.Globalization;
using System.Text.Json;
using Writ.Core.Admin;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Policy;

/// <summary>
/// Named policy stores for applications outside Writ's domain: create one, then put its schema, entities and
/// policies. Each put writes a whole new version after checking that schema, entities and policies still fit
/// together (policies validated against the schema, entities read against it); a refused put changes nothing.
/// Only unscoped admin tokens manage stores.
/// </summary>
public sealed class NamedStoreAdmin(IWritStore store, NamedStoreCache cache, IAuditLog audit, TimeProvider time)
{
    /// <summary>Largest entities document, in characters.</summary>
    public const int MaxEntitiesLength = 8 * 1024 * 1024;

    /// <summary>Creates an empty store (no schema, no entities, no policies: it denies everything).</summary>
    public async Task<NamedStoreResult> CreateAsync(AdminCaller caller, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsScoped)
        {
            return NamedStoreResult.Refused(AdminError.OwnerScopeOnly(caller));
        }

        if (!ResourceName.IsValid(name))
        {
            return NamedStoreResult.Refused(AdminError.Invalid("invalid_name", $"a store name is {ResourceName.Rule}"));
        }

        if (await store.Policies.GetNamedStoreAsync(name!, null, cancellationToken) is not null)
        {
            return NamedStoreResult.Refused(AdminError.Conflict("store_exists", $"a policy store named '{name}' already exists"));
        }

        var initial = new NamedPolicyStore(name!, 1, null, NamedStoreFormats.Cedar, "[]", [], "created", time.GetUtcNow(), caller.Name);
        await audit.RecordDurableAsync(Event(caller, initial), cancellationToken);
        var result = await store.Policies.CreateNamedStoreAsync(initial, cancellationToken);
        if (result.Outcome == StoreOutcome.AlreadyExists)
        {
            return NamedStoreResult.Refused(AdminError.Conflict("store_exists", $"a policy store named '{name}' already exists"));
        }

        return Publish(initial);
    }

    /// <summary>Replaces the schema; refused when the store's policies or entities do not fit the new one.</summary>
    public Task<NamedStoreResult> PutSchemaAsync(AdminCaller caller, string name, string? schema, string? format, CancellationToken cancellationToken)
    {
        format ??= NamedStoreFormats.Cedar;
        if (format is not (NamedStoreFormats.Cedar or NamedStoreFormats.Json))
        {
            return Task.FromResult(NamedStoreResult.Refused(AdminError.Invalid("invalid_format", "'format' is \"cedar\" or \"json\"")));
        }

        if (string.IsNullOrWhiteSpace(schema))
        {
            return Task.FromResult(NamedStoreResult.Refused(AdminError.Invalid("invalid_schema", "'schema' must be the schema text")));
        }

        if (CompiledNamedStore.ParseSchema(schema, format, out var error) is null)
        {
            return Task.FromResult(NamedStoreResult.Refused(AdminError.Invalid("invalid_schema", "the schema does not parse: " + error)));
        }

        return ChangeAsync(caller, name, current => current with { Schema = schema, SchemaFormat = format, Change = "schema" }, cancellationToken);
    }

    /// <summary>Replaces the entities (Cedar entities JSON, an array).</summary>
    public Task<NamedStoreResult> PutEntitiesAsync(AdminCaller caller, string name, JsonElement entities, CancellationToken cancellationToken)
    {
        if (entities.ValueKind != JsonValueKind.Array)
        {
            return Task.FromResult(NamedStoreResult.Refused(AdminError.Invalid("invalid_entities", "'entities' must be a JSON array of Cedar entities ({\"uid\", \"attrs\", \"parents\"})")));
        }

        var text = entities.GetRawText();
        if (text.Length > MaxEntitiesLength)
        {
            return Task.FromResult(NamedStoreResult.Refused(AdminError.Invalid("invalid_entities", $"the entities are larger than {MaxEntitiesLength} characters")));
        }

        return ChangeAsync(caller, name, current => current with { Entities = text, Change = "entities" }, cancellationToken);
    }

    /// <summary>Replaces the policies; they are validated against the store's schema, which must be put first.</summary>
    public Task<NamedStoreResult> PutPoliciesAsync(AdminCaller caller, string name, IReadOnlyList<PolicyFile> files, CancellationToken cancellationToken) =>
        ChangeAsync(caller, name, current => current with { Policies = files, Change = "policies" }, cancellationToken, requireSchema: true);

    /// <summary>The current version, or <paramref name="version"/>.</summary>
    public async Task<NamedStoreResult> GetAsync(string name, long? version, CancellationToken cancellationToken)
    {
        var found = ResourceName.IsValid(name) ? await store.Policies.GetNamedStoreAsync(name, version, cancellationToken) : null;
        return found is null ? NotFound(name, version) : new NamedStoreResult(found, [], [], null);
    }

    /// <summary>Every store at its current version.</summary>
    public Task<IReadOnlyList<NamedPolicyStoreInfo>> ListAsync(CancellationToken cancellationToken) => store.Policies.ListNamedStoresAsync(cancellationToken);

    /// <summary>Every version of one store, newest first.</summary>
    public Task<IReadOnlyList<NamedPolicyStoreInfo>> HistoryAsync(string name, CancellationToken cancellationToken) => store.Policies.ListNamedStoreVersionsAsync(name, cancellationToken);

    private async Task<NamedStoreResult> ChangeAsync(AdminCaller caller, string name, Func<NamedPolicyStore, NamedPolicyStore> change, CancellationToken cancellationToken, bool requireSchema = false)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsScoped)
        {
            return NamedStoreResult.Refused(AdminError.OwnerScopeOnly(caller));
        }

        var current = ResourceName.IsValid(name) ? await store.Policies.GetNamedStoreAsync(name, null, cancellationToken) : null;
        if (current is null)
        {
            return NotFound(name, null);
        }

        if (requireSchema && current.Schema is null)
        {
            return NamedStoreResult.Refused(AdminError.Invalid("schema_required", $"put a schema into '{name}' first (PUT /admin/v1/policy-stores/{name}/schema); its policies are validated against it"));
        }

        var next = change(current) with { Version = current.Version + 1, CreatedAt = time.GetUtcNow(), CreatedBy = caller.Name };
        var (compiled, policies, entityError) = CompiledNamedStore.Compile(next);
        if (!policies.Succeeded && policies.Errors.Count > 0)
        {
            return new NamedStoreResult(null, policies.Errors, policies.Warnings, null);
        }

        if (compiled is null)
        {
            return NamedStoreResult.Refused(AdminError.Invalid("invalid_entities", "the entities do not fit the store: " + entityError));
        }

        await audit.RecordDurableAsync(Event(caller, next), cancellationToken);
        var result = await store.Policies.AddNamedStoreVersionAsync(next, cancellationToken);
        if (result.Outcome == StoreOutcome.AlreadyExists)
        {
            return NamedStoreResult.Refused(AdminError.Conflict("store_changed", $"'{name}' was changed by someone else at the same time; repeat the request"));
        }

        if (!result.Succeeded)
        {
            return NotFound(name, null);
        }

        cache.Put(compiled);
        return new NamedStoreResult(next, [], policies.Warnings, null);
    }

    private NamedStoreResult Publish(NamedPolicyStore created)
    {
        if (CompiledNamedStore.Compile(created).Store is { } compiled)
        {
            cache.Put(compiled);
        }

        return new NamedStoreResult(created, [], [], null);
    }

    private static NamedStoreResult NotFound(string? name, long? version) => NamedStoreResult.Refused(AdminError.NotFound(
        "store_not_found",
        version is null ? $"there is no policy store named '{name}'" : $"policy store '{name}' has no version {version.Value.ToString(CultureInfo.InvariantCulture)}"));

    private static AuditEvent Event(AdminCaller caller, NamedPolicyStore version) => new()
    {
        Type = AuditEventTypes.AdminChange,
        Actor = caller.Name,
        Target = $"policy-store:{version.Name}",
        Decision = version.Change,
        Reason = $"policy store '{version.Name}' version {version.Version.ToString(CultureInfo.InvariantCulture)}: {version.Change}",
    };
}

/// <summary>The outcome of a named store operation.</summary>
/// <param name="Store">The store version written or read; null when refused.</param>
/// <param name="Errors">Policy errors that refused a change.</param>
/// <param name="Warnings">Validation warnings.</param>
/// <param name="Error">Any other refusal.</param>
public sealed record NamedStoreResult(NamedPolicyStore? Store, IReadOnlyList<PolicyIssue> Errors, IReadOnlyList<PolicyIssue> Warnings, AdminError? Error)
{
    internal static NamedStoreResult Refused(AdminError error) => new(null, [], [], error);
}
