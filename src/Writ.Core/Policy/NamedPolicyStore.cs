namespace Writ.Core.Policy;

/// <summary>
/// One version of a named policy store: an application's own schema, entities and policies, served as an
/// AuthZEN decision point under <c>/stores/{name}</c>. Every change writes a whole new version, so a
/// decision always sees one consistent schema, entity set and policy set.
/// </summary>
/// <param name="Name">The store name (see <see cref="Domain.ResourceName"/>).</param>
/// <param name="Version">1 when created, then one more per change.</param>
/// <param name="Schema">The schema text (Cedar or JSON, see <paramref name="SchemaFormat"/>); null before one is put.</param>
/// <param name="SchemaFormat"><c>cedar</c> or <c>json</c>.</param>
/// <param name="Entities">The entities as Cedar entities JSON (an array).</param>
/// <param name="Policies">The policy files.</param>
/// <param name="Change">What this version changed: <c>created</c>, <c>schema</c>, <c>entities</c> or <c>policies</c>.</param>
/// <param name="CreatedAt">When this version was written.</param>
/// <param name="CreatedBy">The admin token name that wrote it.</param>
public sealed record NamedPolicyStore(
    string Name,
    long Version,
    string? Schema,
    string SchemaFormat,
    string Entities,
    IReadOnlyList<PolicyFile> Policies,
    string Change,
    DateTimeOffset CreatedAt,
    string CreatedBy);

/// <summary>A named policy store version without its content, for listings and history.</summary>
/// <param name="Name">The store name.</param>
/// <param name="Version">The version.</param>
/// <param name="Change">What the version changed.</param>
/// <param name="CreatedAt">When it was written.</param>
/// <param name="CreatedBy">The admin token name that wrote it.</param>
public sealed record NamedPolicyStoreInfo(string Name, long Version, string Change, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>A client allowed to call the AuthZEN decision endpoints.</summary>
/// <param name="Client">The client name.</param>
/// <param name="GrantedAt">When it was allowed.</param>
/// <param name="GrantedBy">The admin token name that allowed it.</param>
public sealed record PdpClientGrant(string Client, DateTimeOffset GrantedAt, string GrantedBy);
