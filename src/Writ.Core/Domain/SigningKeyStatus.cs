namespace Writ.Core.Domain;

/// <summary>Where a token signing key is in its life.</summary>
public enum SigningKeyStatus
{
    /// <summary>Published in the JWKS and trust bundle but not yet signing.</summary>
    Pending,

    /// <summary>Published and signing (the newest activated key signs).</summary>
    Active,

    /// <summary>No longer published; every token it signed has expired.</summary>
    Retired,
}
