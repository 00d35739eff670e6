using Writ.Core.Connections;

namespace Writ.Core.Tests.Connections;

public sealed class GrantTemplateTests
{
    public static TheoryData<string, string, string> Injections => new()
    {
        { "public; DROP TABLE users; --", "orders", "SELECT" },
        { "public", "orders; DROP ROLE admin", "SELECT" },
        { "public", "orders\" TO public; --", "SELECT" },
        { "public", "orders", "SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC; --" },
        { "public", "orders", "ALL" },
        { "public", "orders", "select" },
        { "Public", "orders", "SELECT" },
        { "pg_catalog\"", "pg_authid", "SELECT" },
        { "public", "", "SELECT" },
        { "", "orders", "SELECT" },
        { "1schema", "orders", "SELECT" },
        { "public", "orders", "SUPERUSER" },
    };

    [Theory]
    [MemberData(nameof(Injections))]
    public void TemplateTryingSqlInjection_IsRejected(string schema, string table, string privilege)
    {
        Assert.False(GrantTemplate.TryValidate([new GrantRule(schema, [table], [privilege])], out var problem));
        Assert.NotNull(problem);
        Assert.Throws<ArgumentException>(() => GrantTemplate.GrantStatements([new GrantRule(schema, [table], [privilege])], "writ_abc"));
    }

    [Fact]
    public void EmptyOrOversizedTemplate_IsRejected()
    {
        Assert.False(GrantTemplate.TryValidate([], out _));
        Assert.False(GrantTemplate.TryValidate(null, out _));
        Assert.False(GrantTemplate.TryValidate([.. Enumerable.Repeat(new GrantRule("public", ["t"], ["SELECT"]), GrantTemplate.MaxRules + 1)], out _));
        Assert.False(GrantTemplate.TryValidate([new GrantRule("public", ["t"], ["SELECT", "SELECT"])], out _));
        Assert.False(GrantTemplate.TryValidate([new GrantRule("public", ["*", "orders"], ["SELECT"])], out _));
    }

    [Fact]
    public void ValidTemplate_BecomesQuotedGrants()
    {
        var statements = GrantTemplate.GrantStatements(
            [new GrantRule("public", ["orders", "customers"], ["SELECT"]), new GrantRule("audit", ["*"], ["SELECT", "INSERT"])],
            "writ_0123");

        Assert.Equal(
            [
                "GRANT USAGE ON SCHEMA \"public\" TO \"writ_0123\"",
                "GRANT USAGE ON SCHEMA \"audit\" TO \"writ_0123\"",
                "GRANT SELECT ON TABLE \"public\".\"orders\", \"public\".\"customers\" TO \"writ_0123\"",
                "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA \"audit\" TO \"writ_0123\"",
            ],
            statements);
    }

    [Fact]
    public void RoleNameWithSql_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => GrantTemplate.GrantStatements([new GrantRule("public", ["t"], ["SELECT"])], "x\"; DROP ROLE y; --"));
    }
}
