using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Writ.Mcp.ReferenceServer;

/// <summary>The prompts the conformance scenarios list and get.</summary>
[McpServerPromptType]
internal static class ReferencePrompts
{
    [McpServerPrompt(Name = "test_simple_prompt", Title = "Simple prompt"), Description("A prompt without arguments")]
    public static IEnumerable<PromptMessage> Simple() =>
        [new() { Role = Role.User, Content = new TextContentBlock { Text = "A simple prompt from the reference server." } }];

    [McpServerPrompt(Name = "test_prompt_with_arguments", Title = "Prompt with arguments"), Description("A prompt with two required arguments")]
    public static IEnumerable<PromptMessage> WithArguments([Description("The first argument")] string arg1, [Description("The second argument")] string arg2) =>
        [new() { Role = Role.User, Content = new TextContentBlock { Text = $"First: {arg1}; second: {arg2}." } }];

    [McpServerPrompt(Name = "test_prompt_with_embedded_resource", Title = "Prompt with an embedded resource"), Description("A prompt that embeds the resource named by its argument")]
    public static IEnumerable<PromptMessage> WithEmbeddedResource([Description("The URI of the resource to embed")] string resourceUri) =>
    [
        new() { Role = Role.User, Content = new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = resourceUri, MimeType = "text/plain", Text = "Text of the embedded resource." } } },
        new() { Role = Role.User, Content = new TextContentBlock { Text = "Summarise the resource above." } },
    ];

    [McpServerPrompt(Name = "test_prompt_with_image", Title = "Prompt with an image"), Description("A prompt that carries a PNG image")]
    public static IEnumerable<PromptMessage> WithImage() =>
    [
        new() { Role = Role.User, Content = ImageContentBlock.FromBytes(TestMedia.Png, "image/png") },
        new() { Role = Role.User, Content = new TextContentBlock { Text = "Describe the image above." } },
    ];
}
