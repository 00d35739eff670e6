using Writ.Cedar.Values;

namespace Writ.Cedar.Authorization;

/// <summary>An authorization request: principal, action, resource and a context record.</summary>
public sealed class Request
{
    /// <summary>Creates a request; a null context is the empty record.</summary>
    public Request(EntityUid principal, EntityUid action, EntityUid resource, RecordValue? context = null)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(resource);
        Principal = principal;
        Action = action;
        Resource = resource;
        Context = context ?? RecordValue.Empty;
    }

    /// <summary>The principal.</summary>
    public EntityUid Principal { get; }

    /// <summary>The action.</summary>
    public EntityUid Action { get; }

    /// <summary>The resource.</summary>
    public EntityUid Resource { get; }

    /// <summary>The context record.</summary>
    public RecordValue Context { get; }
}
