using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.AuthZen;

/// <summary>
/// The fixture of the AuthZEN 1.0 certification scenario (openid/authzen, certification/authorization-api-1_0-scenario.md)
/// as a named store: users alice and bob (bob with role admin), records record-1 (active) and record-2 (archived),
/// actions read, write and delete, and policies giving its eight required decisions. The schema declares only what
/// the policies read, so the scenario's extra properties and context members are ones the schema does not know.
/// </summary>
internal static class CertificationStore
{
    public const string Schema = """
        entity user = { role?: String };
        entity record = { status: String };
        action read, write appliesTo { principal: [user], resource: [record], context: {} };
        action delete appliesTo { principal: [user], resource: [record], context: { soft?: Bool } };
        """;

    public const string Policies = """
        @id("users-read-records")
        permit (principal is user, action == Action::"read", resource is record);
        @id("alice-writes-unarchived")
        permit (principal == user::"alice", action == Action::"write", resource is record)
        when { resource.status != "archived" };
        @id("admins-write-archived")
        permit (principal is user, action == Action::"write", resource is record)
        when { principal has role && principal.role == "admin" && resource.status == "archived" };
        @id("alice-soft-deletes")
        permit (principal == user::"alice", action == Action::"delete", resource is record)
        when { context has soft && context.soft == true };
        """;

    public static readonly object[] Entities =
    [
        new { uid = new { type = "user", id = "alice" }, attrs = new { }, parents = Array.Empty<object>() },
        new { uid = new { type = "user", id = "bob" }, attrs = new { role = "admin" }, parents = Array.Empty<object>() },
        new { uid = new { type = "record", id = "record-1" }, attrs = new { status = "active" }, parents = Array.Empty<object>() },
        new { uid = new { type = "record", id = "record-2" }, attrs = new { status = "archived" }, parents = Array.Empty<object>() },
    ];

    public static async Task CreateAsync(WritHost host, string name)
    {
        await host.AdminOkAsync(HttpMethod.Post, "policy-stores", new { name });
        await host.AdminOkAsync(HttpMethod.Put, $"policy-stores/{name}/schema", new { schema = Schema });
        await host.AdminOkAsync(HttpMethod.Put, $"policy-stores/{name}/entities", new { entities = Entities });
        await host.AdminOkAsync(HttpMethod.Put, $"policy-stores/{name}/policies", new { files = new[] { new { name = "cert.cedar", text = Policies } } });
    }
}
