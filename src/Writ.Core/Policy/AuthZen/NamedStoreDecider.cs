using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Core.Policy.AuthZen;

/// <summary>
/// Decides AuthZEN evaluations against a named store. Mapping: subject <c>{type, id}</c> → entity <c>type::"id"</c>;
/// action <c>name</c> → <c>Action::"name"</c> (or the one action of that name the schema declares in a namespace);
/// resource like the subject; <c>context</c>, with the action's <c>properties</c> added, → the Cedar context, read
/// against the action's context type when the store has a schema (see <see cref="ContextComposer"/>). Subject and
/// resource <c>properties</c> are merged over the stored entity's attributes.
/// </summary>
public static class NamedStoreDecider
{
    /// <summary>Decides one evaluation; never throws for bad request data (that is a deny with a problem).</summary>
    public static AuthZenDecision Decide(CompiledNamedStore store, AuthZenEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(evaluation);
        try
        {
            var principal = Uid(evaluation.Subject);
            var resource = Uid(evaluation.Resource);
            var action = ActionUid(store.Schema, evaluation.Action.Name, "Action");
            var context = ContextComposer.Compose(store.Schema, evaluation, action);
            var entities = Entities(store, evaluation, principal, resource);
            return AuthZenDecision.From(Authorizer.IsAuthorized(new Request(principal, action, resource, context), store.Policies, entities));
        }
        catch (Exception e) when (e is FormatException or JsonException or CedarJsonException or ArgumentException or InvalidOperationException or EntityLimitException)
        {
            return AuthZenDecision.Failed(e.Message);
        }
    }

    /// <summary>The action entity for <paramref name="name"/>: the schema's only action with that id, else <c>&lt;fallbackType&gt;::"name"</c>.</summary>
    public static EntityUid ActionUid(CedarSchema? schema, string name, string fallbackType)
    {
        if (schema is not null)
        {
            EntityUid? found = null;
            foreach (var uid in schema.Actions.Keys)
            {
                if (uid.Id == name)
                {
                    if (found is not null)
                    {
                        found = null;
                        break;
                    }

                    found = uid;
                }
            }

            if (found is not null)
            {
                return found;
            }
        }

        return new EntityUid(fallbackType, name);
    }

    internal static EntityUid Uid(AuthZenEntity entity) => new(entity.Type, entity.Id);

    private static EntityStore Entities(CompiledNamedStore store, AuthZenEvaluation evaluation, EntityUid principal, EntityUid resource)
    {
        var subjectProps = evaluation.Subject.Properties;
        var resourceProps = evaluation.Resource.Properties;
        if (subjectProps is null && resourceProps is null)
        {
            return store.Entities;
        }

        // The request's view of its subject and resource replaces the stored ones for this decision only.
        using var doc = EntityComposer.Document(w =>
        {
            if (subjectProps is not null)
            {
                EntityComposer.Write(w, principal, Stored(store, principal), subjectProps, store.Schema);
            }

            if (resourceProps is not null && !(subjectProps is not null && resource.Equals(principal)))
            {
                EntityComposer.Write(w, resource, Stored(store, resource), resourceProps, store.Schema);
            }
        });
        var replaced = CompiledNamedStore.ReadEntities(doc.RootElement, store.Schema).Where(e => !e.Uid.Type.IsAction).ToList();
        var uids = replaced.Select(e => e.Uid).ToHashSet();
        return new EntityStore(store.Entities.Entities.Where(e => !uids.Contains(e.Uid)).Concat(replaced));
    }

    private static JsonElement? Stored(CompiledNamedStore store, EntityUid uid) =>
        store.EntityJsonByUid.TryGetValue(uid, out var json) ? json : null;
}
