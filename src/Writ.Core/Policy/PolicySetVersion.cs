namespace Writ.Core.Policy;

/// <summary>One stored version of Writ's own policy set; every version is kept.</summary>
/// <param name="Version">1, 2, …; assigned by the store.</param>
/// <param name="Files">The files as they were applied.</param>
/// <param name="Description">What the change is about, as given when it was applied.</param>
/// <param name="CreatedAt">When it was applied.</param>
/// <param name="CreatedBy">The admin token name that applied it.</param>
public sealed record PolicySetVersion(long Version, IReadOnlyList<PolicyFile> Files, string? Description, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>A policy set version without its files, for listings.</summary>
/// <param name="Version">The version.</param>
/// <param name="Description">What the change is about.</param>
/// <param name="CreatedAt">When it was applied.</param>
/// <param name="CreatedBy">The admin token name that applied it.</param>
public sealed record PolicySetInfo(long Version, string? Description, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>Which policy set version is active, since when and by whom.</summary>
/// <param name="Version">The active version.</param>
/// <param name="ActivatedAt">When it was activated.</param>
/// <param name="ActivatedBy">The admin token name that activated it.</param>
public sealed record ActivePolicySetVersion(long Version, DateTimeOffset ActivatedAt, string ActivatedBy);
