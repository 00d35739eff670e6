namespace Writ.Core.Domain;

/// <summary>How a client (a machine calling Writ) authenticates.</summary>
public enum ClientAuthMethod
{
    /// <summary>A shared secret; only its SHA-256 hash is stored.</summary>
    ClientSecret,

    /// <summary>An RFC 7523 client assertion signed by a key in the client's JWKS.</summary>
    PrivateKeyJwt,
}
