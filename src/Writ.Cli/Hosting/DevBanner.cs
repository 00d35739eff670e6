using System.Text.Json.Nodes;
using Writ.Cli.Output;

namespace Writ.Cli.Hosting;

// What `writ dev` prints once it listens: where it is, how to authenticate, and what to do next.
internal sealed record DevBanner(
    IReadOnlyList<string> Urls,
    string Issuer,
    string TrustDomain,
    string DataDirectory,
    string TokenFile,
    string? NewToken,
    bool TokenFromEnvironment,
    string WorkingDirectory)
{
    private string Server => Urls[0].TrimEnd('/');

    // The CLI finds the token by itself only when run where `writ dev` keeps it by default.
    private bool CliFindsToken =>
        !TokenFromEnvironment
        && string.Equals(Path.GetFullPath(Path.Combine(WorkingDirectory, ".writ", DevCommand.AdminTokenFileName)), TokenFile, StringComparison.Ordinal);

    private bool CliFindsServer => string.Equals(Server, DevCommand.DefaultUrl, StringComparison.OrdinalIgnoreCase);

    public void Write(CommandOutput output)
    {
        output.WriteLine($"Writ is running in development mode (trust domain {TrustDomain}).");
        output.WriteLine();
        output.WriteDetails(
        [
            ("Server", string.Join(", ", Urls)),
            ("Issuer", Issuer),
            ("Metadata", Server + "/.well-known/oauth-authorization-server"),
            ("Token endpoint", Server + "/oauth2/token"),
            ("JWKS", Server + "/.well-known/jwks.json"),
            ("Trust bundle", Server + "/.well-known/spiffe-bundle"),
            ("Admin API", Server + "/admin/v1"),
            ("Data", DataDirectory),
        ]);
        output.WriteLine();
        if (TokenFromEnvironment)
        {
            output.WriteLine($"Admin token: the one in {DevCommand.BootstrapTokenVariable}.");
        }
        else if (NewToken is not null)
        {
            output.WriteLine($"Admin token (shown once; also saved to {TokenFile}, readable only by you):");
            output.WriteLine();
            output.WriteLine("  " + NewToken);
        }
        else if (File.Exists(TokenFile))
        {
            output.WriteLine($"Admin token: stored in {TokenFile} since the first start.");
        }
        else
        {
            output.WriteLine($"Admin token: none found in {TokenFile}; set {DevCommand.BootstrapTokenVariable} to choose one.");
        }

        output.WriteLine();
        output.WriteLine("Next steps, in another terminal" + (CliFindsToken ? " in this directory:" : ":"));
        if (!CliFindsServer)
        {
            output.WriteLine($"  export WRIT_SERVER={Server}");
        }

        if (!CliFindsToken)
        {
            output.WriteLine(TokenFromEnvironment ? $"  export WRIT_TOKEN=\"${DevCommand.BootstrapTokenVariable}\"" : $"  export WRIT_TOKEN=$(cat {TokenFile})");
        }

        output.WriteLine("  writ owner add alice");
        output.WriteLine("  writ agent register research --owner alice");
        output.WriteLine("  writ join-token create research");
        output.WriteLine($"  curl -s {Server}/oauth2/token -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \\");
        output.WriteLine($"    -d subject_token=<join token> -d subject_token_type=urn:writ:params:oauth:token-type:join-token -d audience=<audience>");
        output.WriteLine();
        output.WriteLine("Press Ctrl+C to stop.");
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["urls"] = new JsonArray([.. Urls.Select(u => (JsonNode)u)]),
            ["issuer"] = Issuer,
            ["trustDomain"] = TrustDomain,
            ["dataDirectory"] = DataDirectory,
            ["adminTokenFile"] = TokenFile,
        };
        if (NewToken is not null && !TokenFromEnvironment)
        {
            json["adminToken"] = NewToken;
        }

        return json;
    }
}
