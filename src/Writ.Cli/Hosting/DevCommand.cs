using System.CommandLine;
using Writ.Cli.Commands;
using Writ.Cli.Output;
using Writ.Server;

namespace Writ.Cli.Hosting;

// `writ dev`: the whole control plane on this machine, SQLite in ./.writ, a generated root key and admin token.
internal static class DevCommand
{
    public const string DefaultUrl = "http://127.0.0.1:7600";
    public const string AdminTokenFileName = "admin-token";
    public const string BootstrapTokenVariable = "WRIT_ADMIN_TOKEN";

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';'",
            DefaultValueFactory = _ => DefaultUrl,
            HelpName = "urls",
        };
        var data = new Option<string>("--data")
        {
            Description = "Data directory: SQLite database, generated root key and admin token",
            DefaultValueFactory = _ => "./.writ",
            HelpName = "dir",
        };
        var trustDomain = new Option<string>("--trust-domain")
        {
            Description = "Trust domain of issued identities: spiffe://<trust domain>/agent/<name>",
            DefaultValueFactory = _ => "writ.local",
            HelpName = "domain",
        };
        var issuer = new Option<string?>("--issuer") { Description = "Issuer (iss) of issued tokens [default: the first URL]", HelpName = "url" };
        var command = new WritCommand("dev", "Run Writ on this machine for development: control plane, SQLite store, generated keys and admin token.",
            "writ dev",
            "writ dev --urls http://127.0.0.1:8080 --data /tmp/writ-dev",
            "writ dev --trust-domain acme.test --json")
        {
            urls,
            data,
            trustDomain,
            issuer,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var listen = ListenUrls.Parse(parseResult.GetRequiredValue(urls));
                var dataDirectory = Path.GetFullPath(parseResult.GetRequiredValue(data), context.WorkingDirectory);
                var options = new WritServerOptions
                {
                    Urls = listen,
                    DataDirectory = dataDirectory,
                    TrustDomain = ServerSettings.CheckTrustDomain(parseResult.GetRequiredValue(trustDomain)),
                    Issuer = ServerSettings.CheckIssuer(parseResult.GetValue(issuer)),
                    DevMode = true,
                };
                ControlPlaneHost.EnsurePrivateDirectory(dataDirectory);
                var tokenFile = Path.Combine(dataDirectory, AdminTokenFileName);
                var tokenExisted = File.Exists(tokenFile);
                var output = new CommandOutput(context, parseResult.GetValue(globals.Json));
                return await ControlPlaneHost.RunAsync(options, context, actual =>
                {
                    var banner = new DevBanner(
                        Urls: actual.Count > 0 ? actual : listen,
                        Issuer: options.Issuer ?? listen[0],
                        TrustDomain: options.TrustDomain,
                        DataDirectory: dataDirectory,
                        TokenFile: tokenFile,
                        NewToken: tokenExisted ? null : ReadToken(tokenFile),
                        TokenFromEnvironment: !string.IsNullOrEmpty(context.GetEnvironmentVariable(BootstrapTokenVariable)),
                        WorkingDirectory: context.WorkingDirectory);
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

    private static string? ReadToken(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
