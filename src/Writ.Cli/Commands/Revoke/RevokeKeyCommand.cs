namespace Writ.Cli.Commands.Revoke;

// `writ revoke key <kid>`: the key leaves the JWKS at once and a new key signs from now.
internal static class RevokeKeyCommand
{
    public static WritCommand Create(AdminCommandRunner runner) => RevokeVerb.Create(
        runner,
        "key",
        "Revoke a token signing key: every token it signed is rejected, and a new key signs from now (see `writ key list`).",
        "The key id (kid)",
        static id => id,
        "writ revoke key 5xq2ZkqW... --cause \"key material exposed\"");
}
