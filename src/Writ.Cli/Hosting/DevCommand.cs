using System.CommandLine;
using Writ.Cli.Commands;
using Writ.Cli.Output;

namespace Writ.Cli.Hosting;

// `writ dev`: the whole control plane on this machine, SQLite in ./.writ, a generated root key and admin token.
internal static class DevCommand
{
    public const string DefaultUrl = "http://127.0.0.1:7600";

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on, separated by ';' [default: {DefaultUrl}]", HelpName = "urls" };
        var data = new Option<string?>("--data") { Description = "Data directory: SQLite database, generated root key and admin token [default: ./.writ]", HelpName = "dir" };
        var trustDomain = new Option<string?>("--trust-domain") { Description = "Trust domain of issued identities, spiffe://<trust domain>/agent/<name> [default: writ.local]", HelpName = "domain" };
        var issuer = new Option<string?>("--issuer") { Description = "Issuer (iss) of issued tokens [default: the first URL]", HelpName = "url" };
        var storage = new Option<string?>("--storage") { Description = "Storage provider: sqlite or postgres [env: WRIT_STORAGE__PROVIDER] [default: sqlite]", HelpName = "provider" };
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL connection string; visible to other users in ps, prefer WRIT_STORAGE__CONNECTION_STRING [env: WRIT_STORAGE__CONNECTION_STRING]", HelpName = "connection-string" };
        var command = new WritCommand("dev", "Run Writ on this machine for development: control plane, SQLite store, generated keys and admin token.",
            "writ dev",
            "writ dev --urls http://127.0.0.1:8080 --data /tmp/writ-dev",
            "writ dev --trust-domain acme.test --json")
        {
            urls,
            data,
            trustDomain,
            issuer,
            storage,
            connection,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var flags = new HostFlags(
                    parseResult.GetValue(urls),
                    parseResult.GetValue(data),
                    parseResult.GetValue(trustDomain),
                    parseResult.GetValue(issuer),
                    Storage: parseResult.GetValue(storage),
                    Connection: parseResult.GetValue(connection));
                var output = new CommandOutput(context, parseResult.GetValue(globals.Json));
                var options = flags.ToOptions(context, devMode: true, output.Json);
                return await ControlPlaneHost.RunAsync(options, context, info =>
                {
                    var banner = new DevBanner(info, context.WorkingDirectory);
                    if (output.Json)
                    {
                        output.WriteJson(banner.ToJson());
                    }
                    else
                    {
                        banner.Write(output);
                    }
                }, cancellationToken);
            }
            catch (CliException e)
            {
                context.Error.WriteLine("error: " + e.Message);
                return e.ExitCode;
            }
        });
        return command;
    }
}
