using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Core.Revocation;

/// <summary>The revokers for what exists in every deployment: tokens, agents, owners and signing keys.</summary>
public static class BuiltInRevokers
{
    /// <summary>One revoker per built-in kind.</summary>
    public static IReadOnlyList<IRevoker> Create(IWritStore store, KeyRing keys, RevocationOptions options) =>
    [
        new TokenRevoker(store, options),
        new AgentRevoker(store, options),
        new OwnerRevoker(store, options),
        new KeyRevoker(keys, options),
    ];
}
