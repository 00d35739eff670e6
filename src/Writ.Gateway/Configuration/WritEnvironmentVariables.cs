namespace Writ.Gateway.Configuration;

/// <summary>
/// Maps <c>WRIT_CONNECTIONS__KEK</c>-style variables onto the <c>Writ</c> section (<c>Writ:Connections:Kek</c>) as
/// <c>writ server</c> does, so one environment configures both processes: underscores inside a name are dropped
/// (<c>WRIT_CONNECTIONS__KEK_FILE</c> is <c>Writ:Connections:KekFile</c>) and keys compare case-insensitively.
/// </summary>
internal sealed class WritEnvironmentVariables : ConfigurationProvider, IConfigurationSource
{
    private const string Prefix = "WRIT_";

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && name.Length > Prefix.Length)
            {
                data[KeyFor(name)] = entry.Value as string;
            }
        }

        Data = data;
    }

    /// <summary><c>WRIT_CONNECTIONS__KEK_FILE</c> → <c>Writ:CONNECTIONS:KEKFILE</c>; <c>__</c> separates sections.</summary>
    internal static string KeyFor(string variable) =>
        "Writ:" + variable[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
}
