using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Writ.Cli.Output;
using Writ.Core.Keys;
using Writ.Gateway.Configuration;
using Writ.Gateway.Hosting;

namespace Writ.Cli.Commands;

// `writ gateway --config gateway.json`: the enforcement point in front of MCP servers and HTTP APIs.
// An invalid configuration stops it before it listens, with every problem named.
internal static class GatewayCommand
{
    // The root's recursive --json, read by name: the gateway takes no admin connection options.
    private const string JsonOption = "--json";

    public static Command Create(CliContext context)
    {
        var config = new Option<string>("--config") { Description = "The gateway's configuration file (JSON; see docs/guides/gateway.md)", HelpName = "file", Required = true };
        var check = new Option<bool>("--check") { Description = "Validate the configuration and exit" };
        var command = new WritCommand("gateway", "Run the Writ gateway: admits Writ task tokens, decides every MCP tool call and HTTP API operation, injects upstream credentials and audits each call.",
            "writ gateway --config /etc/writ/gateway.json",
            "writ gateway --config gateway.json --check",
            "writ gateway --config gateway.json --check --json")
        {
            config,
            check,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // --check answers "is this file valid?", so with --json the verdict is the data, either way.
            var checkOnly = parseResult.GetValue(check);
            var output = new CommandOutput(context, parseResult.GetValue<bool>(JsonOption));
            GatewaySettings settings;
            try
            {
                settings = GatewayConfigLoader.Load(parseResult.GetValue(config)!);
            }
            catch (GatewayConfigException e)
            {
                if (checkOnly && output.Json)
                {
                    output.WriteJson(new JsonObject { ["valid"] = false, ["error"] = e.Message });
                }
                else
                {
                    context.Error.WriteLine("error: " + e.Message);
                }

                return ExitCodes.Usage;
            }

            if (checkOnly)
            {
                if (output.Json)
                {
                    output.WriteJson(new JsonObject
                    {
                        ["valid"] = true,
                        ["audience"] = settings.Audience,
                        ["urls"] = new JsonArray([.. settings.Urls.Select(u => (JsonNode)u)]),
                        ["routes"] = new JsonArray([.. settings.Routes.Select(r => (JsonNode)r.Path)]),
                    });
                }
                else
                {
                    output.WriteLine($"The gateway configuration is valid: {settings.Routes.Count} route(s), audience {settings.Audience}.");
                }

                return ExitCodes.Ok;
            }

            try
            {
                await using var app = GatewayApp.Build(settings);
                await app.StartAsync(cancellationToken);
                context.Out.WriteLine($"The Writ gateway is listening on {string.Join(", ", settings.Urls)} (audience {settings.Audience}; routes {string.Join(", ", settings.Routes.Select(r => r.Path))}).");
                await app.WaitForShutdownAsync(cancellationToken);
                return ExitCodes.Ok;
            }
            catch (GatewayConfigException e)
            {
                // Configuration only the host reads (connection KEKs) is checked when the gateway is built.
                context.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Usage;
            }
            catch (RootKeyException e)
            {
                context.Error.WriteLine("error: " + e.Message + " (the gateway needs Writ's root key: storage.rootKeyFile, WRIT_ROOT_KEY or root.key in the data directory)");
                return ExitCodes.Error;
            }
            catch (IOException e)
            {
                context.Error.WriteLine("error: the gateway could not start: " + e.Message);
                return ExitCodes.Error;
            }
        });
        return command;
    }
}
