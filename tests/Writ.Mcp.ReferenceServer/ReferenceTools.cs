using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Writ.Mcp.ReferenceServer;

/// <summary>The tools the conformance scenarios call, each answering the shape its scenario checks.</summary>
[McpServerToolType]
internal static class ReferenceTools
{
    [McpServerTool(Name = "test_simple_text"), Description("Answers with one text block")]
    public static CallToolResult SimpleText() =>
        new() { Content = [new TextContentBlock { Text = "A plain text answer from the reference server." }] };

    [McpServerTool(Name = "test_image_content"), Description("Answers with one PNG image block")]
    public static CallToolResult Image() =>
        new() { Content = [ImageContentBlock.FromBytes(TestMedia.Png, "image/png")] };

    [McpServerTool(Name = "test_audio_content"), Description("Answers with one WAV audio block")]
    public static CallToolResult Audio() =>
        new() { Content = [AudioContentBlock.FromBytes(TestMedia.Wav, "audio/wav")] };

    [McpServerTool(Name = "test_embedded_resource"), Description("Answers with an embedded text resource")]
    public static CallToolResult EmbeddedResource() => new()
    {
        Content = [new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "test://embedded-resource", MimeType = "text/plain", Text = "Text of an embedded resource." } }],
    };

    [McpServerTool(Name = "test_multiple_content_types"), Description("Answers with text, an image and an embedded JSON resource")]
    public static CallToolResult MixedContent() => new()
    {
        Content =
        [
            new TextContentBlock { Text = "Three kinds of content follow." },
            ImageContentBlock.FromBytes(TestMedia.Png, "image/png"),
            new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "test://mixed-content-resource", MimeType = "application/json", Text = """{"kind":"mixed","count":3}""" } },
        ],
    };

    [McpServerTool(Name = "test_tool_with_logging"), Description("Sends three info log messages while it runs")]
    public static async Task<CallToolResult> WithLogging(McpServer server, CancellationToken cancellationToken)
    {
        string[] steps = ["logging tool started", "logging tool working", "logging tool finished"];
        for (var i = 0; i < steps.Length; i++)
        {
            if (i > 0)
            {
                // Spaced so the client sees separate events on the stream, as a real long call would send them.
                await Task.Delay(TimeSpan.FromMilliseconds(40), cancellationToken);
            }

            await server.SendNotificationAsync(
                NotificationMethods.LoggingMessageNotification,
                new LoggingMessageNotificationParams { Level = LoggingLevel.Info, Logger = "reference-server", Data = JsonSerializer.SerializeToElement(steps[i]) },
                cancellationToken: cancellationToken);
        }

        return new() { Content = [new TextContentBlock { Text = "The logging tool ran." }] };
    }

    [McpServerTool(Name = "test_tool_with_progress"), Description("Reports progress 0, 50 and 100 of 100 when the call carries a progress token")]
    public static async Task<CallToolResult> WithProgress(IProgress<ProgressNotificationValue> progress, CancellationToken cancellationToken)
    {
        for (var step = 0; step <= 100; step += 50)
        {
            if (step > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(40), cancellationToken);
            }

            progress.Report(new ProgressNotificationValue { Progress = step, Total = 100, Message = $"step {step} of 100" });
        }

        return new() { Content = [new TextContentBlock { Text = "The progress tool ran." }] };
    }

    [McpServerTool(Name = "test_error_handling"), Description("Always fails with a tool error")]
    public static CallToolResult Error() =>
        new() { IsError = true, Content = [new TextContentBlock { Text = "The reference server's error tool failed on purpose." }] };

    [McpServerTool(Name = "test_sampling"), Description("Asks the client's model to complete a prompt")]
    public static async Task<CallToolResult> Sampling(McpServer server, [Description("The prompt for the client's model")] string prompt, CancellationToken cancellationToken)
    {
        var result = await server.SampleAsync(
            new CreateMessageRequestParams { Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }], MaxTokens = 100 },
            cancellationToken);
        var text = result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "(no text)";
        return new() { Content = [new TextContentBlock { Text = "The model answered: " + text }] };
    }

    [McpServerTool(Name = "test_elicitation"), Description("Asks the user for a response")]
    public static async Task<CallToolResult> Elicitation(McpServer server, [Description("What to ask the user")] string message, CancellationToken cancellationToken)
    {
        var schema = new ElicitRequestParams.RequestSchema
        {
            Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
            {
                ["response"] = new ElicitRequestParams.StringSchema { Description = "The user's answer" },
            },
            Required = ["response"],
        };
        return Describe(await server.ElicitAsync(new ElicitRequestParams { Message = message, RequestedSchema = schema }, cancellationToken));
    }

    [McpServerTool(Name = "test_elicitation_sep1034_defaults"), Description("Asks the user for a form whose fields all have defaults (SEP-1034)")]
    public static async Task<CallToolResult> ElicitationDefaults(McpServer server, CancellationToken cancellationToken) =>
        Describe(await server.ElicitAsync(new ElicitRequestParams { Message = "Check the prefilled form", RequestedSchema = ElicitationForms.WithDefaults() }, cancellationToken));

    [McpServerTool(Name = "test_elicitation_sep1330_enums"), Description("Asks the user to pick from each kind of enum field (SEP-1330)")]
    public static async Task<CallToolResult> ElicitationEnums(McpServer server, CancellationToken cancellationToken) =>
        Describe(await server.ElicitAsync(new ElicitRequestParams { Message = "Pick the options", RequestedSchema = ElicitationForms.Enums() }, cancellationToken));

    private static CallToolResult Describe(ElicitResult result) => new()
    {
        Content = [new TextContentBlock { Text = $"The user chose {result.Action}: {JsonSerializer.Serialize(result.Content ?? new Dictionary<string, JsonElement>())}" }],
    };
}
