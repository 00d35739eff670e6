namespace Writ.Server;

/// <summary>What a started control plane tells its operator (printed by <c>writ dev</c>).</summary>
/// <param name="Urls">The addresses Kestrel listens on, with real ports.</param>
/// <param name="Issuer">The issuer (<c>iss</c>) as published in the metadata.</param>
/// <param name="TrustDomain">The trust domain, e.g. <c>writ.local</c>.</param>
/// <param name="DataDirectory">The full path of the data directory.</param>
/// <param name="AdminToken">The bootstrap admin token; print it only in <c>writ dev</c> or when it was just generated.</param>
/// <param name="AdminTokenFile">Where the bootstrap token is kept, or null when it came from <c>WRIT_ADMIN_TOKEN</c>.</param>
/// <param name="AdminTokenGenerated">True when this start generated the admin token.</param>
/// <param name="DevMode">True for <c>writ dev</c>.</param>
public sealed record WritStartupInfo(
    IReadOnlyList<string> Urls,
    string Issuer,
    string TrustDomain,
    string DataDirectory,
    string AdminToken,
    string? AdminTokenFile,
    bool AdminTokenGenerated,
    bool DevMode);
