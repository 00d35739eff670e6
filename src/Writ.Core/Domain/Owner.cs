namespace Writ.Core.Domain;

/// <summary>An accountable human or team; every agent has one.</summary>
/// <param name="Name">Unique name (see <see cref="ResourceName"/>).</param>
/// <param name="DisplayName">Optional human-readable name.</param>
/// <param name="Email">Optional contact address.</param>
/// <param name="CreatedAt">When the owner was registered.</param>
public sealed record Owner(string Name, string? DisplayName, string? Email, DateTimeOffset CreatedAt);
