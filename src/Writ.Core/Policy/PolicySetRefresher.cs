using Writ.Core.Storage;

namespace Writ.Core.Policy;

/// <summary>
/// Brings this process's active policy set in line with the store's active version, so every server sharing a
/// database converges after an activation elsewhere. The check is one single-row read; the set is loaded and
/// compiled only when the version differs. Sets were validated when they were activated, so here they are only
/// parsed: a process never refuses what the others already decide with.
/// </summary>
public sealed class PolicySetRefresher(IWritStore store, ActivePolicySet active)
{
    /// <summary>Checks the store once; true when the active set changed.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var stored = await store.Policies.GetActivePolicySetAsync(cancellationToken);
        if (stored is null || stored.Version == active.Current.Version)
        {
            return false;
        }

        var version = await store.Policies.GetPolicySetAsync(stored.Version, cancellationToken);
        if (version is null)
        {
            return false;
        }

        var compiled = PolicyCompiler.Compile(version.Files, schema: null);
        if (!compiled.Succeeded)
        {
            throw new InvalidOperationException($"active policy set version {stored.Version} does not parse: {compiled.Errors[0]}");
        }

        active.Activate(new PolicySnapshot(stored.Version, compiled.Policies!));
        return true;
    }
}
