namespace Writ.Gateway.Mcp;

/// <summary>An MCP list request whose answer the gateway filters, with the result member it lists and each item's key.</summary>
internal sealed class ListKind
{
    public static readonly ListKind Tools = new("tools", "name");

    public static readonly ListKind Resources = new("resources", "uri");

    public static readonly ListKind ResourceTemplates = new("resourceTemplates", "uriTemplate");

    public static readonly ListKind Prompts = new("prompts", "name");

    private ListKind(string member, string key)
    {
        Member = member;
        Key = key;
    }

    /// <summary>The array of the result that holds the items.</summary>
    public string Member { get; }

    /// <summary>The string property of an item that the decision is about.</summary>
    public string Key { get; }

    /// <summary>The kind a JSON-RPC method lists, or null when it is not a filtered list.</summary>
    public static ListKind? ForMethod(string? method) => method switch
    {
        "tools/list" => Tools,
        "resources/list" => Resources,
        "resources/templates/list" => ResourceTemplates,
        "prompts/list" => Prompts,
        _ => null,
    };
}
