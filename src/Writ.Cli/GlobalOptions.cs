using System.CommandLine;

namespace Writ.Cli;

// Options every admin noun shares; one instance each so an action can read them wherever they were typed.
internal sealed class GlobalOptions
{
    public const string DefaultServer = "http://127.0.0.1:7600";
    public const string ServerVariable = "WRIT_SERVER";
    public const string TokenVariable = "WRIT_TOKEN";

    // Where `writ dev` keeps its generated bootstrap admin token, relative to the working directory.
    public static readonly string DevTokenFile = Path.Combine(".writ", "admin-token");

    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"Writ server URL [env: {ServerVariable}] [default: {DefaultServer}]",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Admin token [env: {TokenVariable}]; when neither is set, the token `writ dev` saved in ./.writ/admin-token is used",
        HelpName = "token",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print JSON instead of a table (for scripts)",
        Recursive = true,
    };

    // Adds --server and --token to a noun whose verbs call the admin API.
    public void AddConnectionOptions(Command noun)
    {
        noun.Options.Add(Server);
        noun.Options.Add(Token);
    }
}
