namespace Writ.Core.Storage;

/// <summary>The expected outcomes of a store operation. Unexpected failures (I/O, corruption) throw.</summary>
public enum StoreOutcome
{
    /// <summary>The operation took effect.</summary>
    Success,

    /// <summary>The addressed entity does not exist.</summary>
    NotFound,

    /// <summary>An entity with the same unique name, id, hash or sequence already exists.</summary>
    AlreadyExists,

    /// <summary>An entity the operation refers to (for example an agent's owner) does not exist.</summary>
    ReferenceNotFound,
}
