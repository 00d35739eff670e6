using Writ.Cedar.Authorization;

namespace Writ.Core.Policy;

/// <summary>One activated policy set version, compiled and ready to decide.</summary>
/// <param name="Version">The version number (0: nothing activated yet).</param>
/// <param name="Policies">The compiled policies.</param>
public sealed record PolicySnapshot(long Version, PolicySet Policies);
