namespace Writ.Core.Identity;

/// <summary>Asymmetric JWS algorithms accepted on tokens presented to Writ (client assertions, external issuer tokens); never <c>none</c> or HMAC.</summary>
public static class AssertionAlgorithms
{
    /// <summary>The accepted algorithms.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["ES256", "ES384", "RS256", "PS256"];
}
