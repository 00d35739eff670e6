namespace Writ.Core.Leases;

/// <summary>Why a lease was not issued, renewed or used.</summary>
/// <param name="Code">Stable code, e.g. <c>connection_not_found</c>.</param>
/// <param name="Detail">What was wrong; never a secret.</param>
/// <param name="Unavailable">True when the upstream could not be reached (retrying later may work).</param>
public sealed record LeaseError(string Code, string Detail, bool Unavailable = false);
