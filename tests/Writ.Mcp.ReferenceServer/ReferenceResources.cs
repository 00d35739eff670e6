using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Writ.Mcp.ReferenceServer;

/// <summary>The resources the conformance scenarios list, read and subscribe to.</summary>
[McpServerResourceType]
internal static class ReferenceResources
{
    public const string WatchedUri = "test://watched-resource";

    [McpServerResource(UriTemplate = "test://static-text", Name = "static-text", Title = "Static text", MimeType = "text/plain"), Description("A fixed text resource")]
    public static TextResourceContents StaticText() =>
        new() { Uri = "test://static-text", MimeType = "text/plain", Text = "The static text resource of the reference server." };

    [McpServerResource(UriTemplate = "test://static-binary", Name = "static-binary", Title = "Static binary", MimeType = "image/png"), Description("A fixed PNG resource")]
    public static BlobResourceContents StaticBinary() => BlobResourceContents.FromBytes(TestMedia.Png, "test://static-binary", "image/png");

    [McpServerResource(UriTemplate = "test://template/{id}/data", Name = "template", Title = "Templated data", MimeType = "application/json"), Description("JSON data for the id in the URI")]
    public static TextResourceContents Template(string id) => new()
    {
        Uri = $"test://template/{id}/data",
        MimeType = "application/json",
        Text = JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id, ["source"] = "template" }),
    };

    [McpServerResource(UriTemplate = WatchedUri, Name = "watched-resource", Title = "Watched", MimeType = "text/plain"), Description("A resource clients may subscribe to")]
    public static TextResourceContents Watched() =>
        new() { Uri = WatchedUri, MimeType = "text/plain", Text = "The watched resource of the reference server." };
}
