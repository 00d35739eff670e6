using Writ.Core.Connections;
using Writ.Core.Storage;
using static Writ.Storage.Postgres.BrokenConnectionRetry;

namespace Writ.Storage.Postgres;

/// <summary>The connection store with one more try on a broken session (see <see cref="BrokenConnectionRetry"/>).</summary>
internal sealed class RetryingConnectionStore(IConnectionStore inner) : IConnectionStore
{
    public Task<StoreResult> AddAsync(Connection connection, CancellationToken cancellationToken) => RunAsync(() => inner.AddAsync(connection, cancellationToken));

    public Task<Connection?> GetAsync(string name, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(name, cancellationToken));

    public Task<IReadOnlyList<Connection>> ListAsync(string? owner, CancellationToken cancellationToken) => RunAsync(() => inner.ListAsync(owner, cancellationToken));

    // A repeated replacement after a commit that completed finds the secret already changed and answers NotFound: the caller retries, nothing is lost.
    public Task<StoreResult<Connection>> ReplaceSecretAsync(string name, SealedSecret expected, SealedSecret replacement, DateTimeOffset rotatedAt, CancellationToken cancellationToken) =>
        RunAsync(() => inner.ReplaceSecretAsync(name, expected, replacement, rotatedAt, cancellationToken));

    public Task<StoreResult> RemoveAsync(string name, CancellationToken cancellationToken) => RunAsync(() => inner.RemoveAsync(name, cancellationToken));
}
