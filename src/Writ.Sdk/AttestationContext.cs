namespace Writ.Sdk;

/// <summary>What an attestation needs to know about the server it attests to.</summary>
internal sealed record AttestationContext(string TokenEndpoint, TimeProvider Time);
