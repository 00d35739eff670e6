using Writ.Cedar.Schema;

namespace Writ.Core.Policy;

/// <summary>The Cedar schema of Writ's agent domain (<c>WritSchema.cedarschema</c>, embedded).</summary>
public static class WritSchema
{
    private static readonly Lazy<string> EmbeddedText = new(LoadText);
    private static readonly Lazy<CedarSchema> Parsed = new(() => CedarSchema.Parse(EmbeddedText.Value));

    /// <summary>The schema in Cedar's human-readable format, as shipped.</summary>
    public static string Text => EmbeddedText.Value;

    /// <summary>The parsed schema.</summary>
    public static CedarSchema Schema => Parsed.Value;

    private static string LoadText()
    {
        using var stream = typeof(WritSchema).Assembly.GetManifestResourceStream("Writ.Core.Policy.WritSchema.cedarschema")
            ?? throw new InvalidOperationException("the Writ schema is not embedded in Writ.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
