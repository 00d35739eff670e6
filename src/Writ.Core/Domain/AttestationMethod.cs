namespace Writ.Core.Domain;

/// <summary>How a running agent proves it is a registered agent.</summary>
public enum AttestationMethod
{
    /// <summary>A one-time join token created by an admin.</summary>
    JoinToken,

    /// <summary>An RFC 7523 assertion signed by a public key registered for the agent.</summary>
    RegisteredKey,

    /// <summary>A token from a trusted external issuer, mapped to the agent by claim rules.</summary>
    ExternalIssuer,
}
