namespace Writ.Core.Admin;

/// <summary>The authenticated admin token behind an admin API call.</summary>
/// <param name="Name">The token's name, recorded on every change it makes (<c>bootstrap</c> for the bootstrap token).</param>
/// <param name="Owner">When set, the caller manages only this owner's agents, join tokens and agent keys.</param>
public sealed record AdminCaller(string Name, string? Owner)
{
    /// <summary>The name recorded for changes made with the bootstrap admin token.</summary>
    public const string BootstrapName = "bootstrap";

    /// <summary>True when the caller is limited to one owner.</summary>
    public bool IsScoped => Owner is not null;

    /// <summary>True when the caller may manage things that belong to <paramref name="owner"/>.</summary>
    public bool MayManage(string owner) => Owner is null || string.Equals(Owner, owner, StringComparison.Ordinal);
}
