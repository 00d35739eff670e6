using System.Collections;

namespace Writ.Core.Configuration;

/// <summary>
/// How <c>WRIT_</c> environment variables name settings of the <c>Writ</c> configuration section, the same for every
/// Writ process (<c>writ server</c>, <c>writ gateway</c>), so one environment configures them all:
/// <c>WRIT_TRUST_DOMAIN</c> is <c>Writ:TrustDomain</c>, <c>WRIT_CONNECTIONS__KEK_FILE</c> is
/// <c>Writ:Connections:KekFile</c>. <c>__</c> separates sections as usual; underscores inside a name are dropped so
/// the shell spelling meets the JSON one; keys compare case-insensitively, as configuration keys do.
/// </summary>
public static class WritEnvironmentVariables
{
    /// <summary>The prefix of the variables that are read.</summary>
    public const string Prefix = "WRIT_";

    private const string Section = "Writ";

    /// <summary>The configuration key a variable sets: <c>WRIT_TLS__KEY</c> → <c>Writ:TLS:KEY</c>.</summary>
    /// <param name="variable">A variable name that starts with <see cref="Prefix"/>.</param>
    public static string KeyFor(string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return Section + ":" + variable[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>This process's <c>WRIT_</c> variables as configuration keys and values, for <c>AddInMemoryCollection</c>.</summary>
    public static IReadOnlyDictionary<string, string?> Read() => Read(Environment.GetEnvironmentVariables());

    /// <summary>The <c>WRIT_</c> entries of <paramref name="variables"/> as configuration keys and values.</summary>
    public static IReadOnlyDictionary<string, string?> Read(IDictionary variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is string name && name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && name.Length > Prefix.Length)
            {
                data[KeyFor(name)] = entry.Value as string;
            }
        }

        return data;
    }
}
