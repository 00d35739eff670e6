using Writ.Core.Domain;
using Writ.Core.Identity;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>Trusted external issuers and their claim rules (unscoped admin tokens only).</summary>
public sealed class IssuerAdmin(IWritStore store, TimeProvider time)
{
    private const int MaxRules = 100;
    private const int MaxClaimsPerRule = 16;

    /// <summary>Registers an issuer.</summary>
    public async Task<AdminResult<ExternalIssuer>> AddAsync(AdminCaller caller, AddIssuerRequest request, CancellationToken cancellationToken)
    {
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        var error = AdminValidation.Name(request.Name, "name")
            ?? AdminValidation.Text(request.Issuer, "issuer", 512, required: true)
            ?? AdminValidation.Text(request.Audience, "audience", 512, required: true);
        if (error is not null)
        {
            return error;
        }

        if ((request.JwksUri is null) == (request.Jwks is null))
        {
            return AdminError.Invalid("invalid_jwks", "give exactly one of 'jwksUri' and 'jwks'");
        }

        if (request.JwksUri is not null && !AdminValidation.IsAcceptableJwksUri(request.JwksUri))
        {
            return AdminError.Invalid("invalid_jwks_uri", "'jwksUri' must be an absolute https URL (http only on loopback)");
        }

        if (request.Jwks is not null && !PublicKeySet.TryParse(request.Jwks, out _, out var jwksError))
        {
            return AdminError.Invalid("invalid_jwks", jwksError!);
        }

        if (request.Rules is not { Count: > 0 and <= MaxRules })
        {
            return AdminError.Invalid("invalid_rules", $"'rules' must hold 1 to {MaxRules} claim rules");
        }

        var rules = new List<ClaimRule>();
        foreach (var rule in request.Rules)
        {
            if (rule?.Claims is not { Count: > 0 and <= MaxClaimsPerRule } claims
                || claims.Any(c => c.Key.Length is 0 or > 128 || c.Value is null || c.Value.Length is 0 or > 512 || c.Key.Any(char.IsControl)))
            {
                return AdminError.Invalid("invalid_rules", $"each rule needs 1 to {MaxClaimsPerRule} claims of non-empty strings");
            }

            if (AdminValidation.Name(rule.Agent, "agent") is { } agentError)
            {
                return agentError;
            }

            if (await store.Agents.GetAsync(rule.Agent!, cancellationToken) is null)
            {
                return AdminError.Invalid("agent_not_found", $"rule maps to agent '{rule.Agent}', which does not exist");
            }

            rules.Add(new ClaimRule(new Dictionary<string, string>(claims, StringComparer.Ordinal), rule.Agent!));
        }

        var now = time.GetUtcNow();
        var issuer = new ExternalIssuer(request.Name!, request.Issuer!, request.Audience!, request.JwksUri, request.Jwks, rules, now, caller.Name);
        await ChangeLog.IntendAsync(store, caller, "issuer.add", issuer.Name, "iss=" + issuer.Issuer, cancellationToken);
        var added = await store.ExternalIssuers.AddAsync(issuer, cancellationToken);
        if (added.Outcome == StoreOutcome.AlreadyExists)
        {
            return AdminError.Conflict("issuer_exists", $"issuer '{request.Name}' already exists");
        }

        await ChangeLog.RecordAsync(store, now, caller, "issuer.add", issuer.Name, "iss=" + issuer.Issuer, cancellationToken);
        return issuer;
    }

    /// <summary>All issuers.</summary>
    public async Task<AdminResult<IReadOnlyList<ExternalIssuer>>> ListAsync(AdminCaller caller, CancellationToken cancellationToken) =>
        caller.IsScoped
            ? AdminError.OwnerScopeOnly(caller)
            : new AdminResult<IReadOnlyList<ExternalIssuer>>(await store.ExternalIssuers.ListAsync(cancellationToken), null);

    /// <summary>Removes an issuer; its tokens stop attesting at once.</summary>
    public async Task<AdminError?> RemoveAsync(AdminCaller caller, string name, CancellationToken cancellationToken)
    {
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        await ChangeLog.IntendAsync(store, caller, "issuer.remove", name, null, cancellationToken);
        var removed = await store.ExternalIssuers.RemoveAsync(name, cancellationToken);
        if (!removed.Succeeded)
        {
            return AdminError.NotFound("issuer_not_found", $"issuer '{name}' does not exist");
        }

        await ChangeLog.RecordAsync(store, time.GetUtcNow(), caller, "issuer.remove", name, null, cancellationToken);
        return null;
    }
}
