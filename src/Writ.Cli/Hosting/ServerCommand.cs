using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Commands;
using Writ.Cli.Output;
using Writ.Server;

namespace Writ.Cli.Hosting;

// `writ server`: the production control plane, configured by flags, WRIT_* variables and appsettings.json.
internal static class ServerCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, separated by ';' [env: WRIT_URLS] [default: http://127.0.0.1:7600]", HelpName = "urls" };
        var data = new Option<string?>("--data") { Description = "Data directory for the SQLite store [env: WRIT_DATA] [default: ./.writ]", HelpName = "dir" };
        var trustDomain = new Option<string?>("--trust-domain") { Description = "Trust domain of issued identities [env: WRIT_TRUST_DOMAIN] [default: writ.local]", HelpName = "domain" };
        var issuer = new Option<string?>("--issuer") { Description = "Issuer (iss) of issued tokens [env: WRIT_ISSUER] [default: the first URL]", HelpName = "url" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "TLS certificate, PEM [env: WRIT_TLS_CERT]", HelpName = "file" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "TLS private key, PEM [env: WRIT_TLS_KEY]", HelpName = "file" };
        var command = new WritCommand("server", "Run the Writ control plane (token service, admin API). Settings: flags, then WRIT_* variables, then the \"Writ\" section of ./appsettings.json.",
            "writ server --urls https://0.0.0.0:7600 --tls-cert /etc/writ/tls.crt --tls-key /etc/writ/tls.key --issuer https://writ.acme.test:7600 --trust-domain acme.test",
            "WRIT_DATA=/var/lib/writ writ server")
        {
            urls,
            data,
            trustDomain,
            issuer,
            tlsCert,
            tlsKey,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            ServerSettings settings;
            try
            {
                settings = ServerSettings.Resolve(
                    new ServerSettings.Flags(
                        parseResult.GetValue(urls),
                        parseResult.GetValue(data),
                        parseResult.GetValue(trustDomain),
                        parseResult.GetValue(issuer),
                        parseResult.GetValue(tlsCert),
                        parseResult.GetValue(tlsKey)),
                    context);
            }
            catch (CliException e)
            {
                context.Error.WriteLine("error: " + e.Message);
                return e.ExitCode;
            }

            foreach (var url in ListenUrls.PlainHttpBeyondLoopback(settings.Urls))
            {
                context.Error.WriteLine($"WARNING: {url} serves plain HTTP beyond this machine: admin and identity tokens cross the network unencrypted. Use https:// with --tls-cert and --tls-key.");
            }

            ControlPlaneHost.EnsurePrivateDirectory(settings.DataDirectory);
            var options = new WritServerOptions
            {
                Urls = settings.Urls,
                DataDirectory = settings.DataDirectory,
                TrustDomain = settings.TrustDomain,
                Issuer = settings.Issuer,
                TlsCertificatePath = settings.TlsCertificatePath,
                TlsKeyPath = settings.TlsKeyPath,
                DevMode = false,
            };
            var output = new CommandOutput(context, parseResult.GetValue(globals.Json));
            return await ControlPlaneHost.RunAsync(options, context, actual =>
            {
                if (output.Json)
                {
                    output.WriteJson(new JsonObject
                    {
                        ["urls"] = new JsonArray([.. actual.Select(u => (JsonNode)u)]),
                        ["issuer"] = settings.Issuer ?? settings.Urls[0],
                        ["trustDomain"] = settings.TrustDomain,
                        ["dataDirectory"] = settings.DataDirectory,
                    });
                }
                else
                {
                    output.WriteLine($"Writ is listening on {string.Join(", ", actual)} (issuer {settings.Issuer ?? settings.Urls[0]}, trust domain {settings.TrustDomain}, data {settings.DataDirectory}).");
                }
            }, cancellationToken);
        });
        return command;
    }
}
