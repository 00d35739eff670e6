using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Writ.Core.Connections;

/// <summary>
/// Validates grant templates and turns them into GRANT statements. Only lowercase unquoted
/// identifiers and a fixed list of privilege keywords are accepted, and every identifier is quoted
/// again when written, so a template cannot carry SQL of its own.
/// </summary>
public static class GrantTemplate
{
    /// <summary>The most rules one template may hold.</summary>
    public const int MaxRules = 32;

    /// <summary>The most tables one rule may name.</summary>
    public const int MaxTables = 64;

    /// <summary>The privileges a dynamic role may be granted on tables.</summary>
    public static readonly IReadOnlyList<string> TablePrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];

    /// <summary>The identifier rule in words, for error messages.</summary>
    public const string IdentifierRule = "1 to 63 characters of lowercase letters, digits or '_', starting with a letter or '_'";

    /// <summary>Checks a template; <paramref name="problem"/> says what is wrong (without echoing the bad text beyond its position).</summary>
    public static bool TryValidate(IReadOnlyList<GrantRule>? rules, [NotNullWhen(false)] out string? problem)
    {
        if (rules is null || rules.Count == 0)
        {
            problem = "'grants' must hold at least one rule {schema, tables, privileges}";
            return false;
        }

        if (rules.Count > MaxRules)
        {
            problem = $"'grants' may hold at most {MaxRules} rules";
            return false;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule is null || !IsIdentifier(rule.Schema))
            {
                problem = $"grants[{i}].schema must be {IdentifierRule}";
                return false;
            }

            if (rule.Tables is null || rule.Tables.Count == 0 || rule.Tables.Count > MaxTables)
            {
                problem = $"grants[{i}].tables must list 1 to {MaxTables} tables, or be [\"*\"] for every table in the schema";
                return false;
            }

            if (!(rule.Tables.Count == 1 && rule.Tables[0] == GrantRule.AllTables))
            {
                for (var t = 0; t < rule.Tables.Count; t++)
                {
                    if (!IsIdentifier(rule.Tables[t]))
                    {
                        problem = $"grants[{i}].tables[{t}] must be {IdentifierRule} (or the only entry \"*\")";
                        return false;
                    }
                }
            }

            if (rule.Privileges is null || rule.Privileges.Count == 0 || rule.Privileges.Any(p => p is null || !TablePrivileges.Contains(p, StringComparer.Ordinal)))
            {
                problem = $"grants[{i}].privileges must list privileges among {string.Join(", ", TablePrivileges)} (uppercase)";
                return false;
            }

            if (rule.Privileges.Distinct(StringComparer.Ordinal).Count() != rule.Privileges.Count)
            {
                problem = $"grants[{i}].privileges lists a privilege twice";
                return false;
            }
        }

        problem = null;
        return true;
    }

    /// <summary>True for a lowercase unquoted PostgreSQL identifier of at most 63 bytes.</summary>
    public static bool IsIdentifier([NotNullWhen(true)] string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 63 || !(char.IsAsciiLetterLower(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A double-quoted identifier; callers pass only validated identifiers, quoting is a second guard.</summary>
    public static string Quote(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>The GRANT statements giving <paramref name="role"/> what a validated template allows.</summary>
    /// <exception cref="ArgumentException">The template or role name is not valid.</exception>
    public static IReadOnlyList<string> GrantStatements(IReadOnlyList<GrantRule> rules, string role)
    {
        if (!TryValidate(rules, out var problem))
        {
            throw new ArgumentException(problem, nameof(rules));
        }

        if (!IsIdentifier(role))
        {
            throw new ArgumentException("the role name must be " + IdentifierRule, nameof(role));
        }

        var statements = new List<string>();
        foreach (var schema in rules.Select(r => r.Schema).Distinct(StringComparer.Ordinal))
        {
            statements.Add($"GRANT USAGE ON SCHEMA {Quote(schema)} TO {Quote(role)}");
        }

        foreach (var rule in rules)
        {
            var privileges = string.Join(", ", rule.Privileges);
            var target = new StringBuilder();
            if (rule.IsAllTables)
            {
                target.Append("ALL TABLES IN SCHEMA ").Append(Quote(rule.Schema));
            }
            else
            {
                target.Append("TABLE ").AppendJoin(", ", rule.Tables.Select(t => Quote(rule.Schema) + "." + Quote(t)));
            }

            statements.Add($"GRANT {privileges} ON {target} TO {Quote(role)}");
        }

        return statements;
    }
}
