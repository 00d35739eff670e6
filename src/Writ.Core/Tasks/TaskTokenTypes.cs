namespace Writ.Core.Tasks;

/// <summary>The JOSE <c>typ</c> of task tokens and the claim names Writ adds.</summary>
public static class TaskTokenTypes
{
    /// <summary>The <c>typ</c> header of every task token.</summary>
    public const string Typ = "writ-task+jwt";

    /// <summary>The task id claim.</summary>
    public const string TaskIdClaim = "tid";

    /// <summary>The owner claim.</summary>
    public const string OwnerClaim = "writ_owner";

    /// <summary>The attestation claim (<c>method</c>, <c>issuer</c>).</summary>
    public const string AttestationClaim = "writ_attestation";

    /// <summary>The parent task claim of a delegated task.</summary>
    public const string ParentClaim = "writ_parent";

    /// <summary>The user claim (<c>iss</c>, <c>sub</c>) of a task acting for a user.</summary>
    public const string UserClaim = "writ_user";
}
