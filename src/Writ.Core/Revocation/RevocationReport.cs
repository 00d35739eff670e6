namespace Writ.Core.Revocation;

/// <summary>What one revocation ended: the recorded events, the asked-for one first, then every cascade.</summary>
/// <param name="Ended">The events as stored, with their ids.</param>
public sealed record RevocationReport(IReadOnlyList<RevocationEvent> Ended);
