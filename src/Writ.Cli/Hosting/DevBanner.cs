using System.Text.Json.Nodes;
using Writ.Cli.Output;
using Writ.Server;

namespace Writ.Cli.Hosting;

// What `writ dev` prints once it listens: where it is, how to authenticate, and what to do next.
internal sealed class DevBanner(WritStartupInfo info, string workingDirectory)
{
    private string Server => (info.Urls.Count > 0 ? info.Urls[0] : DevCommand.DefaultUrl).TrimEnd('/');

    // The CLI finds the token by itself only when run where `writ dev` keeps it by default.
    private bool CliFindsToken =>
        info.AdminTokenFile is not null
        && string.Equals(Path.GetFullPath(Path.Combine(workingDirectory, GlobalOptions.DevTokenFile)), Path.GetFullPath(info.AdminTokenFile), StringComparison.Ordinal);

    private bool CliFindsServer => string.Equals(Server, DevCommand.DefaultUrl, StringComparison.OrdinalIgnoreCase);

    public void Write(CommandOutput output)
    {
        output.WriteLine($"Writ is running in development mode (trust domain {info.TrustDomain}).");
        output.WriteLine();
        output.WriteDetails(
        [
            ("Server", string.Join(", ", info.Urls)),
            ("Issuer", info.Issuer),
            ("Metadata", Server + "/.well-known/oauth-authorization-server"),
            ("Token endpoint", Server + "/oauth2/token"),
            ("JWKS", Server + "/.well-known/jwks.json"),
            ("Trust bundle", Server + "/.well-known/spiffe-bundle"),
            ("Admin API", Server + "/admin/v1"),
            ("Data", info.DataDirectory),
        ]);
        output.WriteLine();
        if (info.AdminTokenFile is null)
        {
            output.WriteLine("Admin token: the one in WRIT_ADMIN_TOKEN.");
        }
        else if (info.AdminTokenGenerated)
        {
            output.WriteLine($"Admin token (shown once; also saved to {info.AdminTokenFile}, readable only by you):");
            output.WriteLine();
            output.WriteLine("  " + info.AdminToken);
        }
        else
        {
            output.WriteLine($"Admin token: stored in {info.AdminTokenFile} since the first start.");
        }

        output.WriteLine();
        output.WriteLine("Next steps, in another terminal" + (CliFindsToken ? " in this directory:" : ":"));
        if (!CliFindsServer)
        {
            output.WriteLine($"  export WRIT_SERVER={Server}");
        }

        if (!CliFindsToken)
        {
            output.WriteLine(info.AdminTokenFile is null ? "  export WRIT_TOKEN=\"$WRIT_ADMIN_TOKEN\"" : $"  export WRIT_TOKEN=$(cat {info.AdminTokenFile})");
        }

        output.WriteLine("  writ owner add alice");
        output.WriteLine("  writ agent register research --owner alice");
        output.WriteLine("  writ join-token create research");
        output.WriteLine($"  curl -s {Server}/oauth2/token -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \\");
        output.WriteLine($"    -d subject_token=<join token> -d subject_token_type={JoinTokenSubjectType} -d audience=<audience>");
        output.WriteLine();
        output.WriteLine("Press Ctrl+C to stop.");
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["urls"] = new JsonArray([.. info.Urls.Select(u => (JsonNode)u)]),
            ["issuer"] = info.Issuer,
            ["trustDomain"] = info.TrustDomain,
            ["dataDirectory"] = info.DataDirectory,
            ["adminTokenFile"] = info.AdminTokenFile,
        };
        if (info.AdminTokenGenerated)
        {
            json["adminToken"] = info.AdminToken;
        }

        return json;
    }

    private const string JoinTokenSubjectType = Commands.JoinTokenCommands.SubjectTokenType;
}
