using System.Runtime.CompilerServices;

namespace Writ.Cedar.Tests.Conformance;

/// <summary>Locates the shared conformance data: WRIT_CEDAR_CONFORMANCE, else &lt;repo root&gt;/../shared/cedar-conformance.</summary>
internal static class ConformanceData
{
    public static string Root
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("WRIT_CEDAR_CONFORMANCE");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }

            // The test binaries may live outside the repository (custom artifacts path), so also try the
            // working directory and this source file's location.
            var repo = FindRepoRoot(AppContext.BaseDirectory) ?? FindRepoRoot(Directory.GetCurrentDirectory()) ?? FindRepoRoot(SourceDirectory())
                ?? throw new InvalidOperationException("cannot find the repository root (Writ.slnx)");
            return Path.GetFullPath(Path.Combine(repo, "..", "shared", "cedar-conformance"));
        }
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? string.Empty;

    private static string? FindRepoRoot(string start)
    {
        var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Writ.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName;
    }
}
