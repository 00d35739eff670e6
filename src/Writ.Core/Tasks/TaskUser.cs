namespace Writ.Core.Tasks;

/// <summary>The user a task acts for, as vouched for by a trusted issuer.</summary>
/// <param name="Issuer">The user token's <c>iss</c>.</param>
/// <param name="Subject">The user token's <c>sub</c>.</param>
public sealed record TaskUser(string Issuer, string Subject)
{
    /// <summary>The user's id in Cedar and in the task store: <c>&lt;issuer&gt;|&lt;subject&gt;</c>.</summary>
    public string Id => Issuer + "|" + Subject;
}
