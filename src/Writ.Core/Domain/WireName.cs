namespace Writ.Core.Domain;

/// <summary>
/// The snake_case names under which Writ's enumerations appear in the API, the CLI and storage
/// (for example <c>join_token</c>, <c>private_key_jwt</c>, <c>suspended</c>).
/// </summary>
public static class WireName
{
    /// <summary>The wire name of an agent status.</summary>
    public static string Of(AgentStatus status) => status switch
    {
        AgentStatus.Active => "active",
        AgentStatus.Suspended => "suspended",
        AgentStatus.Retired => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>The wire name of an attestation method.</summary>
    public static string Of(AttestationMethod method) => method switch
    {
        AttestationMethod.JoinToken => "join_token",
        AttestationMethod.RegisteredKey => "registered_key",
        AttestationMethod.ExternalIssuer => "external_issuer",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>The wire name of a client authentication method.</summary>
    public static string Of(ClientAuthMethod method) => method switch
    {
        ClientAuthMethod.ClientSecret => "client_secret",
        ClientAuthMethod.PrivateKeyJwt => "private_key_jwt",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>The wire name of a signing key status.</summary>
    public static string Of(SigningKeyStatus status) => status switch
    {
        SigningKeyStatus.Pending => "pending",
        SigningKeyStatus.Active => "active",
        SigningKeyStatus.Retired => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Parses an agent status wire name (exact, lowercase).</summary>
    public static bool TryParse(string? text, out AgentStatus status)
    {
        (var ok, status) = text switch
        {
            "active" => (true, AgentStatus.Active),
            "suspended" => (true, AgentStatus.Suspended),
            "retired" => (true, AgentStatus.Retired),
            _ => (false, default(AgentStatus)),
        };
        return ok;
    }

    /// <summary>Parses an attestation method wire name (exact, lowercase).</summary>
    public static bool TryParse(string? text, out AttestationMethod method)
    {
        (var ok, method) = text switch
        {
            "join_token" => (true, AttestationMethod.JoinToken),
            "registered_key" => (true, AttestationMethod.RegisteredKey),
            "external_issuer" => (true, AttestationMethod.ExternalIssuer),
            _ => (false, default(AttestationMethod)),
        };
        return ok;
    }

    /// <summary>Parses a client authentication method wire name (exact, lowercase).</summary>
    public static bool TryParse(string? text, out ClientAuthMethod method)
    {
        (var ok, method) = text switch
        {
            "client_secret" => (true, ClientAuthMethod.ClientSecret),
            "private_key_jwt" => (true, ClientAuthMethod.PrivateKeyJwt),
            _ => (false, default(ClientAuthMethod)),
        };
        return ok;
    }

    /// <summary>Parses a signing key status wire name (exact, lowercase).</summary>
    public static bool TryParse(string? text, out SigningKeyStatus status)
    {
        (var ok, status) = text switch
        {
            "pending" => (true, SigningKeyStatus.Pending),
            "active" => (true, SigningKeyStatus.Active),
            "retired" => (true, SigningKeyStatus.Retired),
            _ => (false, default(SigningKeyStatus)),
        };
        return ok;
    }
}
