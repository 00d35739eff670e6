using Writ.Core.Domain;
using Writ.Core.Storage;
using static Writ.Storage.Postgres.BrokenConnectionRetry;

namespace Writ.Storage.Postgres;

// Each store wrapped so every operation gets one more try on a broken session (see BrokenConnectionRetry).

internal sealed class RetryingOwnerStore(IOwnerStore inner) : IOwnerStore
{
    public Task<StoreResult> AddAsync(Owner owner, CancellationToken cancellationToken) => RunAsync(() => inner.AddAsync(owner, cancellationToken));

    public Task<Owner?> GetAsync(string name, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(name, cancellationToken));

    public Task<IReadOnlyList<Owner>> ListAsync(CancellationToken cancellationToken) => RunAsync(() => inner.ListAsync(cancellationToken));
}

internal sealed class RetryingAgentStore(IAgentStore inner) : IAgentStore
{
    public Task<StoreResult> AddAsync(Agent agent, CancellationToken cancellationToken) => RunAsync(() => inner.AddAsync(agent, cancellationToken));

    public Task<Agent?> GetAsync(string name, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(name, cancellationToken));

    public Task<Agent?> GetBySpiffeIdAsync(string spiffeId, CancellationToken cancellationToken) => RunAsync(() => inner.GetBySpiffeIdAsync(spiffeId, cancellationToken));

    public Task<IReadOnlyList<Agent>> ListAsync(string? owner, CancellationToken cancellationToken) => RunAsync(() => inner.ListAsync(owner, cancellationToken));

    public Task<StoreResult<Agent>> SetStatusAsync(string name, AgentStatus status, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(() => inner.SetStatusAsync(name, status, now, cancellationToken));

    public Task<StoreResult<Agent>> AddKeyAsync(string name, AgentKey key, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(() => inner.AddKeyAsync(name, key, now, cancellationToken));

    public Task<StoreResult<Agent>> RemoveKeyAsync(string name, string kid, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(() => inner.RemoveKeyAsync(name, kid, now, cancellationToken));
}

internal sealed class RetryingJoinTokenStore(IJoinTokenStore inner) : IJoinTokenStore
{
    public Task<StoreResult> AddAsync(JoinToken token, CancellationToken cancellationToken) => RunAsync(() => inner.AddAsync(token, cancellationToken));

    public Task<JoinToken?> GetAsync(string id, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(id, cancellationToken));

    public Task<JoinTokenConsumeResult> TryConsumeAsync(string secretHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(() => inner.TryConsumeAsync(secretHash, now, cancellationToken));

    public Task<int> PurgeExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken) => RunAsync(() => inner.PurgeExpiredAsync(before, cancellationToken));
}

internal sealed class RetryingExternalIssuerStore(IExternalIssuerStore inner) : IExternalIssuerStore
{
    public Task<StoreResult> AddAsync(ExternalIssuer issuer, CancellationToken cancellationToken) => RunAsync(() => inner.AddAsync(issuer, cancellationToken));

    public Task<ExternalIssuer?> GetAsync(string name, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(name, cancellationToken));

    public Task<IReadOnlyList<ExternalIssuer>> FindByIssuerAsync(string issuer, CancellationToken cancellationToken) => RunAsync(() => inner.FindByIssuerAsync(issuer, cancellationToken));

    public Task<IReadOnlyList<ExternalIssuer>> ListAsync(CancellationToken cancellationToken) => RunAsync(() => inner.ListAsync(cancellationToken));

    public Task<StoreResult> RemoveAsync(string name, CancellationToken cancellationToken) => RunAsync(() => inner.RemoveAsync(name, cancellationToken));
}

internal sealed class RetryingClientStore(IClientStore inner) : IClientStore
{
    public Task<StoreResult> AddAsync(Client client, CancellationToken cancellationToken) => RunAsync(() => inner.AddAsync(client, cancellationToken));

    public Task<Client?> GetAsync(string name, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(name, cancellationToken));

    public Task<IReadOnlyList<Client>> ListAsync(string? owner, CancellationToken cancellationToken) => RunAsync(() => inner.ListAsync(owner, cancellationToken));

    public Task<StoreResult<Client>> SetDisabledAsync(string name, bool disabled, CancellationToken cancellationToken) =>
        RunAsync(() => inner.SetDisabledAsync(name, disabled, cancellationToken));

    public Task<StoreResult> RemoveAsync(string name, CancellationToken cancellationToken) => RunAsync(() => inner.RemoveAsync(name, cancellationToken));
}

internal sealed class RetryingAdminTokenStore(IAdminTokenStore inner) : IAdminTokenStore
{
    public Task<StoreResult> AddAsync(AdminToken token, CancellationToken cancellationToken) => RunAsync(() => inner.AddAsync(token, cancellationToken));

    public Task<AdminToken?> GetAsync(string name, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(name, cancellationToken));

    public Task<AdminToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken) => RunAsync(() => inner.FindByHashAsync(tokenHash, cancellationToken));

    public Task<IReadOnlyList<AdminToken>> ListAsync(CancellationToken cancellationToken) => RunAsync(() => inner.ListAsync(cancellationToken));

    public Task<StoreResult<AdminToken>> RevokeAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(() => inner.RevokeAsync(name, now, cancellationToken));
}

internal sealed class RetryingSigningKeyStore(ISigningKeyStore inner) : ISigningKeyStore
{
    public Task<StoreResult> AddAsync(SigningKey key, CancellationToken cancellationToken) => RunAsync(() => inner.AddAsync(key, cancellationToken));

    public Task<SigningKey?> GetAsync(string kid, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(kid, cancellationToken));

    public Task<IReadOnlyList<SigningKey>> ListAsync(CancellationToken cancellationToken) => RunAsync(() => inner.ListAsync(cancellationToken));

    public Task<StoreResult<SigningKey>> UpdateScheduleAsync(string kid, SigningKeyStatus status, DateTimeOffset? retiresAt, CancellationToken cancellationToken) =>
        RunAsync(() => inner.UpdateScheduleAsync(kid, status, retiresAt, cancellationToken));
}

internal sealed class RetryingReplayCache(IReplayCache inner) : IReplayCache
{
    public Task<bool> TryRecordAsync(string scope, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        RunAsync(() => inner.TryRecordAsync(scope, jti, expiresAt, cancellationToken));

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => RunAsync(() => inner.PurgeExpiredAsync(now, cancellationToken));
}

internal sealed class RetryingRevocationStore(IRevocationStore inner) : IRevocationStore
{
    public Task RevokeAsync(RevokedToken token, CancellationToken cancellationToken) => RunAsync(() => inner.RevokeAsync(token, cancellationToken));

    public Task<bool> IsRevokedAsync(string jti, DateTimeOffset now, CancellationToken cancellationToken) => RunAsync(() => inner.IsRevokedAsync(jti, now, cancellationToken));

    public Task<IReadOnlyList<RevokedToken>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken) => RunAsync(() => inner.ListActiveAsync(now, cancellationToken));

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => RunAsync(() => inner.PurgeExpiredAsync(now, cancellationToken));
}

internal sealed class RetryingChangeLogStore(IChangeLogStore inner) : IChangeLogStore
{
    public Task<ChangeRecord> AppendAsync(ChangeRecord record, CancellationToken cancellationToken) => RunAsync(() => inner.AppendAsync(record, cancellationToken));

    public Task<IReadOnlyList<ChangeRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken) => RunAsync(() => inner.ListRecentAsync(limit, cancellationToken));
}
