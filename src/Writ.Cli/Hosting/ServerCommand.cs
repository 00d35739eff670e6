using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Commands;
using Writ.Cli.Output;

namespace Writ.Cli.Hosting;

// `writ server`: the production control plane. Flags win over WRIT_* variables, which win over the
// "Writ" section of ./appsettings.json (the server reads both).
internal static class ServerCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, separated by ';' [env: WRIT_URLS] [default: http://127.0.0.1:7600]", HelpName = "urls" };
        var data = new Option<string?>("--data") { Description = "Data directory for the SQLite store [env: WRIT_DATA] [default: ./.writ]", HelpName = "dir" };
        var trustDomain = new Option<string?>("--trust-domain") { Description = "Trust domain of issued identities [env: WRIT_TRUST_DOMAIN] [default: writ.local]", HelpName = "domain" };
        var issuer = new Option<string?>("--issuer") { Description = "Issuer (iss) of issued tokens [env: WRIT_ISSUER] [default: the first URL]", HelpName = "url" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "TLS certificate, PEM [env: WRIT_TLS_CERTIFICATE]", HelpName = "file" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "TLS private key, PEM [env: WRIT_TLS_KEY]", HelpName = "file" };
        var storage = new Option<string?>("--storage") { Description = "Storage provider: sqlite or postgres [env: WRIT_STORAGE__PROVIDER] [default: sqlite]", HelpName = "provider" };
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL connection string; visible to other users in ps, prefer WRIT_STORAGE__CONNECTION_STRING [env: WRIT_STORAGE__CONNECTION_STRING]", HelpName = "connection-string" };
        var command = new WritCommand("server", "Run the Writ control plane (token service, admin API). Settings: flags, then WRIT_* variables, then the \"Writ\" section of ./appsettings.json.",
            "writ server --urls https://0.0.0.0:7600 --tls-cert /etc/writ/tls.crt --tls-key /etc/writ/tls.key --issuer https://writ.acme.test:7600 --trust-domain acme.test",
            "WRIT_DATA=/var/lib/writ WRIT_ROOT_KEY_FILE=/etc/writ/root-key writ server")
        {
            urls,
            data,
            trustDomain,
            issuer,
            tlsCert,
            tlsKey,
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
                    parseResult.GetValue(tlsCert),
                    parseResult.GetValue(tlsKey),
                    parseResult.GetValue(storage),
                    parseResult.GetValue(connection));
                var output = new CommandOutput(context, parseResult.GetValue(globals.Json));
                var options = flags.ToOptions(context, devMode: false, output.Json);
                return await ControlPlaneHost.RunAsync(options, context, info =>
                {
                    if (output.Json)
                    {
                        output.WriteJson(new JsonObject
                        {
                            ["urls"] = new JsonArray([.. info.Urls.Select(u => (JsonNode)u)]),
                            ["issuer"] = info.Issuer,
                            ["trustDomain"] = info.TrustDomain,
                            ["dataDirectory"] = info.DataDirectory,
                            ["adminTokenFile"] = info.AdminTokenFile,
                        });
                        return;
                    }

                    output.WriteLine($"Writ is listening on {string.Join(", ", info.Urls)} (issuer {info.Issuer}, trust domain {info.TrustDomain}, data {info.DataDirectory}).");
                    if (info.AdminTokenGenerated)
                    {
                        // Printed once so a first deployment is usable; the token is never printed again.
                        output.WriteLine($"A bootstrap admin token was generated into {info.AdminTokenFile} (mode 0600). Use it to create named admin tokens, then keep it offline.");
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
