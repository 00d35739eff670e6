using Writ.Core.Domain;

namespace Writ.Core.Storage;

/// <summary>Trusted external issuers and their claim rules.</summary>
public interface IExternalIssuerStore
{
    /// <summary>Adds an issuer; <see cref="StoreOutcome.AlreadyExists"/> when the name is taken.</summary>
    Task<StoreResult> AddAsync(ExternalIssuer issuer, CancellationToken cancellationToken);

    /// <summary>The issuer named <paramref name="name"/>, or null.</summary>
    Task<ExternalIssuer?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every registered issuer whose <c>iss</c> equals <paramref name="issuer"/> exactly, ordered by name.</summary>
    Task<IReadOnlyList<ExternalIssuer>> FindByIssuerAsync(string issuer, CancellationToken cancellationToken);

    /// <summary>All issuers ordered by name.</summary>
    Task<IReadOnlyList<ExternalIssuer>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes an issuer; <see cref="StoreOutcome.NotFound"/> when unknown.</summary>
    Task<StoreResult> RemoveAsync(string name, CancellationToken cancellationToken);
}
