namespace Writ.Core.Revocation;

/// <summary>The event type URIs and delivery method URNs of OpenID Shared Signals 1.0 and CAEP 1.0 that Writ uses.</summary>
public static class SharedSignalsEvents
{
    /// <summary>CAEP: a session (here: tokens of a token, task, agent or owner) was revoked.</summary>
    public const string SessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

    /// <summary>CAEP: a credential (here: a signing key, lease or connection) changed; Writ sends <c>change_type</c> <c>revoke</c>.</summary>
    public const string CredentialChange = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

    /// <summary>SSF: a verification event, sent when the receiver asks for one.</summary>
    public const string Verification = "https://schemas.openid.net/secevent/ssf/event-type/verification";

    /// <summary>SSF: the stream's status changed.</summary>
    public const string StreamUpdated = "https://schemas.openid.net/secevent/ssf/event-type/stream-updated";

    /// <summary>RFC 8935 push delivery.</summary>
    public const string Push = "urn:ietf:rfc:8935";

    /// <summary>RFC 8936 poll delivery.</summary>
    public const string Poll = "urn:ietf:rfc:8936";

    /// <summary>The events a receiver may request.</summary>
    public static IReadOnlyList<string> Supported { get; } = [SessionRevoked, CredentialChange, Verification];

    /// <summary>The CAEP event that announces a revocation of <paramref name="kind"/>.</summary>
    public static string For(RevocationKind kind) =>
        kind is RevocationKind.Key or RevocationKind.Lease or RevocationKind.Connection ? CredentialChange : SessionRevoked;
}
