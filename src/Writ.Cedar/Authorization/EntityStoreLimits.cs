namespace Writ.Cedar.Authorization;

/// <summary>Bounds on an entity store, so hostile entity data fails fast instead of exhausting memory.</summary>
public sealed record EntityStoreLimits
{
    /// <summary>The defaults: one million entities and 20 million ancestor links in the transitive closure.</summary>
    public static EntityStoreLimits Default { get; } = new();

    /// <summary>The most entities a store may hold.</summary>
    public int MaxEntities { get; init; } = 1_000_000;

    /// <summary>The most (entity, ancestor) pairs the transitive closure may hold.</summary>
    public long MaxAncestorLinks { get; init; } = 20_000_000;
}

/// <summary>An entity store exceeded its <see cref="EntityStoreLimits"/>.</summary>
public sealed class EntityLimitException : Exception
{
    /// <summary>Creates the error.</summary>
    public EntityLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a cause.</summary>
    public EntityLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty error.</summary>
    public EntityLimitException()
        : base("entity store limit exceeded")
    {
    }
}
