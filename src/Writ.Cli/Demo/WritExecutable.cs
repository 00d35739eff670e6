using System.Diagnostics;

namespace Writ.Cli.Demo;

// Starts this same `writ` (the apphost, or `dotnet writ.dll` when run that way) with other arguments.
internal static class WritExecutable
{
    // Settings that would point a child `writ dev` at the user's own store or token instead of the demo's.
    private static readonly string[] ClearedVariables =
    [
        "WRIT_URLS", "WRIT_DATA", "WRIT_ISSUER", "WRIT_TRUST_DOMAIN", "WRIT_ADMIN_TOKEN",
        "WRIT_STORAGE__PROVIDER", "WRIT_STORAGE__CONNECTION_STRING", "WRIT_ROOT_KEY",
    ];

    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] arguments)
    {
        var host = Environment.ProcessPath ?? throw new DemoException("cannot tell where the writ executable is (no process path)");
        var info = new ProcessStartInfo(host) { WorkingDirectory = workingDirectory };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(WritExecutable).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in ClearedVariables)
        {
            info.Environment.Remove(name);
        }

        return info;
    }
}
