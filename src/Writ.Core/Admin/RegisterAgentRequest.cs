using System.Text.Json;

namespace Writ.Core.Admin;

/// <summary>What registering an agent takes; fields are nullable because they come from untrusted JSON.</summary>
/// <param name="Name">The agent's name; its SPIFFE ID is <c>spiffe://&lt;domain&gt;/agent/&lt;name&gt;</c>.</param>
/// <param name="Owner">The accountable owner (required).</param>
/// <param name="AttestationMethods">Allowed methods by wire name; all three when absent.</param>
/// <param name="Metadata">String labels.</param>
/// <param name="PublicKeys">Public JWKs for the registered-key method.</param>
public sealed record RegisterAgentRequest(
    string? Name,
    string? Owner,
    IReadOnlyList<string>? AttestationMethods,
    IReadOnlyDictionary<string, string>? Metadata,
    IReadOnlyList<JsonElement>? PublicKeys);
