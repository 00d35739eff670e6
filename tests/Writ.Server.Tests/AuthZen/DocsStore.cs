using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.AuthZen;

/// <summary>A named policy store for a document application, outside Writ's own domain.</summary>
internal static class DocsStore
{
    public const string Schema = """
        entity User = { department: String };
        entity Document = { owner: User, public: Bool };
        action view, edit appliesTo { principal: [User], resource: [Document] };
        """;

    public const string Policies = """
        @id("owner-edits")
        permit (principal, action == Action::"edit", resource) when { resource.owner == principal };
        @id("public-view")
        permit (principal, action == Action::"view", resource) when { resource.public };
        @id("sales-view")
        permit (principal, action == Action::"view", resource) when { principal.department == "sales" };
        @id("no-interns")
        forbid (principal, action, resource) when { principal.department == "interns" };
        """;

    public static readonly object[] Entities =
    [
        new { uid = new { type = "User", id = "alice" }, attrs = new { department = "engineering" }, parents = Array.Empty<object>() },
        new { uid = new { type = "User", id = "bob" }, attrs = new { department = "sales" }, parents = Array.Empty<object>() },
        new { uid = new { type = "Document", id = "d1" }, attrs = new { owner = new { __entity = new { type = "User", id = "alice" } }, @public = false }, parents = Array.Empty<object>() },
        new { uid = new { type = "Document", id = "d2" }, attrs = new { owner = new { __entity = new { type = "User", id = "bob" } }, @public = true }, parents = Array.Empty<object>() },
    ];

    public static async Task CreateAsync(WritHost host, string name = "docs")
    {
        await host.AdminOkAsync(HttpMethod.Post, "policy-stores", new { name });
        await host.AdminOkAsync(HttpMethod.Put, $"policy-stores/{name}/schema", new { schema = Schema });
        await host.AdminOkAsync(HttpMethod.Put, $"policy-stores/{name}/entities", new { entities = Entities });
        await host.AdminOkAsync(HttpMethod.Put, $"policy-stores/{name}/policies", new { files = new[] { new { name = "docs.cedar", text = Policies } } });
    }
}
