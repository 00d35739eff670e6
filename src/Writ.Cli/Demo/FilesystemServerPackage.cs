using System.Diagnostics;
using System.Security.Cryptography;

namespace Writ.Cli.Demo;

// The reference MCP filesystem server from npm (@modelcontextprotocol/server-filesystem), pinned by the
// package.json and package-lock.json shipped next to writ (Demo/node) and installed with `npm ci` into a
// cache directory named after the lock file's hash, so a new pin installs afresh and an old one is reused.
internal static class FilesystemServerPackage
{
    public const string CacheVariable = "WRIT_DEMO_NODE_DIR";

    private const string EntryPoint = "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js";
    private static readonly TimeSpan InstallBound = TimeSpan.FromMinutes(5);

    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "Demo", "node");

    // The installed server's entry point (index.js), installing it first when missing.
    public static async Task<string> EnsureInstalledAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var lockFile = Path.Combine(ShippedDirectory, "package-lock.json");
        if (!File.Exists(lockFile) || !File.Exists(Path.Combine(ShippedDirectory, "package.json")))
        {
            throw new DemoException($"the demo's pinned npm packages are missing from {ShippedDirectory} (package.json, package-lock.json); rebuild writ");
        }

        // The gateway launches the server with node, installed or not yet.
        await RequireAsync("node", cancellationToken);
        var lockBytes = await File.ReadAllBytesAsync(lockFile, cancellationToken);
        var directory = Path.Combine(CacheRoot(), Convert.ToHexStringLower(SHA256.HashData(lockBytes))[..16]);
        var entry = Path.Combine(directory, EntryPoint);
        if (File.Exists(entry))
        {
            return entry;
        }

        await RequireAsync("npm", cancellationToken);
        progress($"Installing @modelcontextprotocol/server-filesystem with npm ci into {directory} (once)");

        // Installed beside the final directory and moved into place, so an interrupted install is never taken as done.
        var staging = directory + ".installing-" + Environment.ProcessId;
        Directory.CreateDirectory(staging);
        try
        {
            File.Copy(Path.Combine(ShippedDirectory, "package.json"), Path.Combine(staging, "package.json"), overwrite: true);
            File.Copy(lockFile, Path.Combine(staging, "package-lock.json"), overwrite: true);
            var install = new ProcessStartInfo("npm") { WorkingDirectory = staging, ArgumentList = { "ci", "--no-audit", "--no-fund", "--loglevel=error" } };
            var (exitCode, output) = await ChildProcess.RunAsync(install, InstallBound, cancellationToken);
            if (exitCode != 0)
            {
                throw new DemoException($"`npm ci` for the MCP filesystem server failed (exit {exitCode}) in {staging}: {output.Trim()}. The demo needs the npm registry (or a populated npm cache) once");
            }

            if (Directory.Exists(directory))
            {
                // Another demo finished the same install first.
                return entry;
            }

            try
            {
                Directory.Move(staging, directory);
            }
            catch (IOException) when (File.Exists(entry))
            {
                // Another demo moved its finished install into place between the check and the move.
            }

            return entry;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static string CacheRoot()
    {
        if (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            cache = string.IsNullOrEmpty(home) ? Path.GetTempPath() : Path.Combine(home, ".cache");
        }

        return Path.Combine(cache, "writ", "demo-node");
    }

    private static async Task RequireAsync(string program, CancellationToken cancellationToken)
    {
        try
        {
            var (exitCode, _) = await ChildProcess.RunAsync(new ProcessStartInfo(program, "--version"), TimeSpan.FromSeconds(30), cancellationToken);
            if (exitCode == 0)
            {
                return;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not on the PATH.
        }

        throw new DemoException(
            $"`{program}` was not found: the demo runs the reference MCP filesystem server from npm. Install Node.js 20 or newer with npm " +
            $"(Debian/Ubuntu: `sudo apt-get install nodejs npm`; or https://nodejs.org) and run `writ demo` again");
    }
}
