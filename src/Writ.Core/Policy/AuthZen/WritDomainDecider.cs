using System.Collections.Concurrent;
using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;
using Writ.Core.Domain;
using Writ.Core.Tasks;

namespace Writ.Core.Policy.AuthZen;

/// <summary>
/// Decides AuthZEN evaluations against Writ's own active policy set. Types without a namespace are read in the
/// <c>Writ</c> namespace (<c>Agent</c> → <c>Writ::Agent</c>); the action is <c>Writ::Action::"name"</c>. Agents and
/// owners come from Writ's store (an agent has its SPIFFE ID, owner, status and metadata as tags, and is in its
/// owner); a tool is in its toolset (<c>github.search_issues</c> in <c>Writ::Toolset::"github"</c>). The request's
/// <c>properties</c> are merged over those attributes (e.g. the attestation), and everything is read against the
/// Writ schema, as is the context. A subject that names an agent Writ does not know is denied without evaluation.
/// Agents are read through the <see cref="StatusCache"/>, as for per-call decisions: a status change made through
/// this process counts at once, one made by another process within the cache window.
/// </summary>
public sealed class WritDomainDecider(IActivePolicySet active, StatusCache status)
{
    private const int MaxCachedEntities = 4096;
    private const string Namespace = "Writ::";
    private static readonly EntityType AgentType = new("Writ::Agent");
    private static readonly EntityType OwnerType = new("Writ::Owner");
    private static readonly EntityType ToolType = new("Writ::Tool");
    private static readonly EntityType ToolsetType = new("Writ::Toolset");
    private static readonly RecordValue EmptyAttestation = new([new("method", new StringValue(string.Empty)), new("issuer", new StringValue(string.Empty))]);
    private static readonly Lazy<EntityStore> ActionEntities = new(() => new EntityStore(SchemaEntities.ActionEntities(WritSchema.Schema)));

    // Entities built from the stored agents, kept while the status cache hands out the same agent records.
    private readonly ConcurrentDictionary<(EntityUid Principal, EntityUid Resource), DirectEntities> direct = new();

    /// <summary>Decides one evaluation; bad request data is a deny with a problem, never an exception.</summary>
    public async ValueTask<(AuthZenDecision Decision, long Version, string? AgentSpiffeId, string? Owner)> DecideAsync(AuthZenEvaluation evaluation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var snapshot = active.Current;
        try
        {
            var principal = new EntityUid(Qualify(evaluation.Subject.Type), evaluation.Subject.Id);
            var resource = new EntityUid(Qualify(evaluation.Resource.Type), evaluation.Resource.Id);
            var action = new EntityUid("Writ::Action", evaluation.Action.Name);
            var schema = WritSchema.Schema;
            var context = ContextComposer.Compose(schema, evaluation, action);
            var principalAgent = principal.Type.Equals(AgentType) ? await status.GetAgentAsync(principal.Id, cancellationToken) : null;
            if (principal.Type.Equals(AgentType) && principalAgent is null)
            {
                // Cedar skips a forbid that fails on a missing entity, so an unknown agent could slip past one: refuse it here.
                return (AuthZenDecision.Failed($"agent '{principal.Id}' is not registered") with { ProblemStatus = 404 }, snapshot.Version, null, null);
            }

            var resourceAgent = resource.Type.Equals(AgentType) && !resource.Equals(principal) ? await status.GetAgentAsync(resource.Id, cancellationToken) : null;
            var entities = Entities(schema, evaluation, principal, principalAgent, resource, resourceAgent);
            var response = Authorizer.IsAuthorized(new Request(principal, action, resource, context), snapshot.Policies, entities);
            return (AuthZenDecision.From(response), snapshot.Version, principalAgent?.SpiffeId.ToString(), principalAgent?.Owner);
        }
        catch (Exception e) when (e is FormatException or JsonException or CedarJsonException or ArgumentException or InvalidOperationException or EntityLimitException)
        {
            return (AuthZenDecision.Failed(e.Message), snapshot.Version, null, null);
        }
    }

    private static string Qualify(string type) => type.Contains("::", StringComparison.Ordinal) ? type : Namespace + type;

    private EntityStore Entities(CedarSchema schema, AuthZenEvaluation evaluation, EntityUid principal, Agent? principalAgent, EntityUid resource, Agent? resourceAgent)
    {
        if (evaluation.Subject.Properties is null && evaluation.Resource.Properties is null)
        {
            return Direct(principal, principalAgent, resource, resourceAgent);
        }

        using var doc = EntityComposer.Document(w =>
        {
            var written = new HashSet<EntityUid>();
            WriteEntity(w, written, principal, principalAgent, evaluation.Subject.Properties);
            if (!resource.Equals(principal))
            {
                WriteEntity(w, written, resource, resourceAgent, evaluation.Resource.Properties);
            }
        });
        return new EntityStore(SchemaEntities.ParseEntities(doc.RootElement, schema));
    }

    private EntityStore Direct(EntityUid principal, Agent? principalAgent, EntityUid resource, Agent? resourceAgent)
    {
        var key = (principal, resource);
        if (direct.TryGetValue(key, out var known) && ReferenceEquals(known.PrincipalAgent, principalAgent) && ReferenceEquals(known.ResourceAgent, resourceAgent))
        {
            return known.Store;
        }

        var built = new DirectEntities(principalAgent, resourceAgent, BuildDirect(principal, principalAgent, resource, resourceAgent));
        if (direct.Count >= MaxCachedEntities)
        {
            direct.Clear();
        }

        direct[key] = built;
        return built.Store;
    }

    // Without request properties nothing needs reading against the schema: the entities are built as values, the
    // same ones the JSON path would produce, over the schema's action entities, which are shared, not copied.
    private static EntityStore BuildDirect(EntityUid principal, Agent? principalAgent, EntityUid resource, Agent? resourceAgent)
    {
        var entities = new List<Entity>(4);
        var seen = new HashSet<EntityUid>();
        AddDirect(entities, seen, principal, principalAgent);
        AddDirect(entities, seen, resource, resourceAgent);
        return ActionEntities.Value.Overlay(entities);
    }

    private static void AddDirect(List<Entity> entities, HashSet<EntityUid> seen, EntityUid uid, Agent? agent)
    {
        if (!seen.Add(uid))
        {
            return;
        }

        if (agent is not null)
        {
            var owner = new EntityUid(OwnerType, agent.Owner);
            var attributes = new RecordValue(
            [
                new("spiffeId", new StringValue(agent.SpiffeId.ToString())),
                new("owner", owner),
                new("status", new StringValue(WireName.Of(agent.Status))),
                new("attestation", EmptyAttestation),
            ]);
            var tags = agent.Metadata.ToDictionary(m => m.Key, m => (Value)new StringValue(m.Value), StringComparer.Ordinal);
            entities.Add(new Entity(uid, attributes, [owner], tags));
            if (seen.Add(owner))
            {
                entities.Add(new Entity(owner));
            }

            return;
        }

        if (uid.Type.Equals(ToolType) && uid.Id.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot)
        {
            entities.Add(new Entity(uid, null, [new EntityUid(ToolsetType, uid.Id[..dot])]));
        }
        else if (uid.Type.Equals(OwnerType))
        {
            entities.Add(new Entity(uid));
        }
    }

    private static void WriteEntity(Utf8JsonWriter w, HashSet<EntityUid> written, EntityUid uid, Agent? agent, JsonElement? properties)
    {
        if (agent is not null)
        {
            using var stored = AgentJson(uid, agent);
            EntityComposer.Write(w, uid, stored.RootElement, properties, WritSchema.Schema);
            written.Add(uid);
            var owner = new EntityUid(OwnerType, agent.Owner);
            if (written.Add(owner))
            {
                EntityComposer.Write(w, owner, null, null, WritSchema.Schema);
            }

            return;
        }

        if (uid.Type.Equals(ToolType))
        {
            var dot = uid.Id.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                using var stored = JsonDocument.Parse(JsonSerializer.Serialize(new { parents = new[] { new { type = "Writ::Toolset", id = uid.Id[..dot] } } }));
                EntityComposer.Write(w, uid, stored.RootElement, properties, WritSchema.Schema);
                written.Add(uid);
                return;
            }
        }

        // Anything else (an unknown agent included) exists only through the properties the caller gave.
        if (properties is not null || uid.Type.Equals(OwnerType))
        {
            EntityComposer.Write(w, uid, null, properties, WritSchema.Schema);
            written.Add(uid);
        }
    }

    private static JsonDocument AgentJson(EntityUid uid, Agent agent) => JsonDocument.Parse(JsonSerializer.Serialize(new
    {
        uid = new { type = uid.Type.ToString(), id = uid.Id },
        attrs = new Dictionary<string, object>
        {
            ["spiffeId"] = agent.SpiffeId.ToString(),
            ["owner"] = new { __entity = new { type = "Writ::Owner", id = agent.Owner } },
            ["status"] = WireName.Of(agent.Status),
            ["attestation"] = new { method = string.Empty, issuer = string.Empty },
        },
        parents = new[] { new { type = "Writ::Owner", id = agent.Owner } },
        tags = agent.Metadata,
    }));

    private sealed record DirectEntities(Agent? PrincipalAgent, Agent? ResourceAgent, EntityStore Store);
}
