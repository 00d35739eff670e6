using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;

namespace Writ.Cedar.Tests.Validation;

/// <summary>Locates the shared Cedar conformance data and reads the corpus tarball in place.</summary>
internal static class ConformanceData
{
    public static string Root([CallerFilePath] string sourceFile = "")
    {
        var fromEnv = Environment.GetEnvironmentVariable("WRIT_CEDAR_CONFORMANCE");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        // The shared data sits next to the repository: look for the repository root from the binaries, the
        // working directory and this source file, since builds may put binaries outside the tree.
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Path.GetDirectoryName(sourceFile) ?? "." })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Writ.slnx")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "cedar-conformance"));
                }
            }
        }

        throw new DirectoryNotFoundException("Cedar conformance data not found: set WRIT_CEDAR_CONFORMANCE");
    }

    public static Dictionary<string, string> ReadTarball(string path)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data)
            {
                using var reader = new StreamReader(data, Encoding.UTF8);
                files[entry.Name.TrimStart('.', '/')] = reader.ReadToEnd();
            }
        }

        return files;
    }
}
