using Writ.Core.Policy;

namespace Writ.Server.Endpoints.Policy;

/// <summary>JSON shapes of policy sets, named stores and issues in the admin API.</summary>
internal static class PolicyViews
{
    public static Dictionary<string, object?> Issue(PolicyIssue issue) => new()
    {
        ["policyId"] = issue.PolicyId,
        ["file"] = issue.File,
        ["line"] = issue.Line,
        ["column"] = issue.Column,
        ["kind"] = issue.Kind,
        ["message"] = issue.Message,
    };

    public static object SetInfo(PolicySetInfo info, ActivePolicySetVersion? active) => new
    {
        version = info.Version,
        description = info.Description,
        createdAt = info.CreatedAt,
        createdBy = info.CreatedBy,
        active = active?.Version == info.Version,
    };

    public static object Set(PolicySetVersion set, ActivePolicySetVersion? active) => new
    {
        version = set.Version,
        description = set.Description,
        createdAt = set.CreatedAt,
        createdBy = set.CreatedBy,
        active = active?.Version == set.Version,
        files = set.Files.Select(f => new { name = f.Name, text = f.Text }).ToArray(),
    };

    public static object Applied(PolicyApplyResult result) => new
    {
        version = result.Version!.Version,
        active = result.Active,
        description = result.Version.Description,
        createdAt = result.Version.CreatedAt,
        createdBy = result.Version.CreatedBy,
        warnings = result.Warnings.Select(Issue).ToArray(),
    };

    public static object StoreInfo(NamedPolicyStoreInfo info) => new
    {
        name = info.Name,
        version = info.Version,
        change = info.Change,
        createdAt = info.CreatedAt,
        createdBy = info.CreatedBy,
    };

    public static object Store(NamedPolicyStore store) => new
    {
        name = store.Name,
        version = store.Version,
        change = store.Change,
        createdAt = store.CreatedAt,
        createdBy = store.CreatedBy,
        schema = store.Schema,
        schemaFormat = store.SchemaFormat,
        entities = System.Text.Json.JsonDocument.Parse(store.Entities).RootElement.Clone(),
        policies = store.Policies.Select(f => new { name = f.Name, text = f.Text }).ToArray(),
    };

    public static object PdpClient(PdpClientGrant grant) => new { client = grant.Client, grantedAt = grant.GrantedAt, grantedBy = grant.GrantedBy };
}
