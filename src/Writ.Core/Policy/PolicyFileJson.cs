using System.Text.Json;

namespace Writ.Core.Policy;

/// <summary>How storage providers keep a list of policy files in one text column: <c>[{"name":…,"text":…}]</c>.</summary>
public static class PolicyFileJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The files as JSON text.</summary>
    public static string Write(IReadOnlyList<PolicyFile> files) => JsonSerializer.Serialize(files, Options);

    /// <summary>The files from JSON text written by <see cref="Write"/>.</summary>
    public static IReadOnlyList<PolicyFile> Read(string json) =>
        JsonSerializer.Deserialize<List<PolicyFile>>(json, Options) ?? throw new JsonException("stored policy files are null");
}
