namespace Writ.Server.Configuration;

/// <summary>
/// Maps <c>WRIT_TRUST_DOMAIN</c>-style variables onto the <c>Writ</c> section (<c>Writ:TrustDomain</c>):
/// underscores are dropped so the shell spelling and the JSON spelling meet, and keys compare case-insensitively.
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

    /// <summary><c>WRIT_TRUST_DOMAIN</c> → <c>Writ:TRUSTDOMAIN</c>; <c>__</c> separates sections as usual.</summary>
    internal static string KeyFor(string variable) =>
        WritSettings.Section + ":" + variable[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
}
