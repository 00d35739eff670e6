namespace Writ.Core.Admin;

/// <summary>Why an admin operation was refused; maps onto an HTTP status and a stable problem <c>code</c>.</summary>
/// <param name="Kind">The class of failure.</param>
/// <param name="Code">Stable machine-readable code, e.g. <c>agent_not_found</c>.</param>
/// <param name="Detail">What was wrong and how to fix it; never contains a secret.</param>
public sealed record AdminError(AdminErrorKind Kind, string Code, string Detail)
{
    internal static AdminError Invalid(string code, string detail) => new(AdminErrorKind.Invalid, code, detail);

    internal static AdminError NotFound(string code, string detail) => new(AdminErrorKind.NotFound, code, detail);

    internal static AdminError Conflict(string code, string detail) => new(AdminErrorKind.Conflict, code, detail);

    internal static AdminError Forbidden(string detail) => new(AdminErrorKind.Forbidden, "forbidden", detail);

    internal static AdminError OwnerScopeOnly(AdminCaller caller) =>
        Forbidden($"admin token '{caller.Name}' is scoped to owner '{caller.Owner}' and cannot do this; use an unscoped admin token");
}

/// <summary>Classes of admin failures.</summary>
public enum AdminErrorKind
{
    /// <summary>The request is malformed or violates a rule (400).</summary>
    Invalid,

    /// <summary>The caller may not do this (403).</summary>
    Forbidden,

    /// <summary>The thing addressed does not exist (404).</summary>
    NotFound,

    /// <summary>The thing already exists or its state forbids the change (409).</summary>
    Conflict,
}
