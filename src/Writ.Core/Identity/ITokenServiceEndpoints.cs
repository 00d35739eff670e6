namespace Writ.Core.Identity;

/// <summary>The issuer and endpoint URLs of this deployment, exactly as published in the RFC 8414 metadata.</summary>
public interface ITokenServiceEndpoints
{
    /// <summary>The <c>iss</c> of issued tokens.</summary>
    string Issuer { get; }

    /// <summary>The token endpoint URL (an accepted <c>aud</c> of agent assertions).</summary>
    string TokenEndpoint { get; }

    /// <summary>The introspection endpoint URL.</summary>
    string IntrospectionEndpoint { get; }

    /// <summary>The revocation endpoint URL.</summary>
    string RevocationEndpoint { get; }
}
