namespace Writ.Server.Endpoints.AuthZen;

/// <summary>Who called the decision API: an admin token (by name) or a PDP client (by client id).</summary>
/// <param name="Name">The admin token name or client id, recorded with every decision.</param>
/// <param name="IsClient">True for a PDP client.</param>
internal sealed record PdpCaller(string Name, bool IsClient);
