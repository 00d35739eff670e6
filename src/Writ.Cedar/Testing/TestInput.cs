using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Writ.Cedar.Testing;

/// <summary>
/// Where conformance test files come from: one file, a directory, or a <c>.tar.gz</c> read in place.
/// Paths named inside test files resolve against the root directory, or against the tarball's entries.
/// </summary>
public sealed class TestInput
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, byte[]> _archive = new(StringComparer.Ordinal);
    private readonly string _root;

    private TestInput(string root, List<string> testFiles)
    {
        _root = root;
        TestFiles = testFiles;
    }

    /// <summary>The test files to run (paths on disk, or entry names in the archive), in order.</summary>
    public IReadOnlyList<string> TestFiles { get; }

    /// <summary>
    /// Opens <paramref name="path"/>: a test JSON file, a directory (its <c>*.json</c> files, not <c>*.entities.json</c>,
    /// recursively) or a <c>.tar.gz</c>. Throws <see cref="IOException"/> or <see cref="InvalidDataException"/> when unreadable.
    /// </summary>
    public static TestInput Open(string path, string root)
    {
        var fullRoot = Path.GetFullPath(root);
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories)
                .Where(IsTestFile)
                .Order(StringComparer.Ordinal)
                .ToList();
            return new TestInput(fullRoot, files);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no such file or directory: {path}", path);
        }

        if (path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
        {
            var names = new List<string>();
            var input = new TestInput(fullRoot, names) { IsArchive = true };
            try
            {
                ReadArchive(path, input, names);
            }
            catch (Exception ex) when (ex is FormatException or EndOfStreamException)
            {
                throw new InvalidDataException($"{path} is not a readable .tar.gz: {ex.Message}", ex);
            }

            names.Sort(StringComparer.Ordinal);
            return input;
        }

        return new TestInput(fullRoot, [path]);
    }

    /// <summary>The most uncompressed bytes read from a tarball, so a decompression bomb fails fast.</summary>
    public const long MaxArchiveBytes = 1L << 30;

    private static void ReadArchive(string path, TestInput input, List<string> names)
    {
        long total = 0;
        using var file = File.OpenRead(path);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
            {
                continue;
            }

            total += entry.Length;
            if (total > MaxArchiveBytes)
            {
                throw new InvalidDataException($"{path} holds more than {MaxArchiveBytes} bytes");
            }

            using var ms = new MemoryStream();
            entry.DataStream.CopyTo(ms);
            var name = Normalize(entry.Name);
            input._archive[name] = ms.ToArray();
            if (IsTestFile(name))
            {
                names.Add(name);
            }
        }
    }

    /// <summary>Whether the input is a tarball.</summary>
    public bool IsArchive { get; private init; }

    /// <summary>Reads a test file listed in <see cref="TestFiles"/>.</summary>
    public string ReadTestFile(string name) =>
        IsArchive ? Decode(_archive[name], name) : Decode(File.ReadAllBytes(name), name);

    /// <summary>Reads a path named inside a test file: from the archive if it holds it, else relative to the root.</summary>
    public string ReadReferenced(string relativePath)
    {
        var norm = Normalize(relativePath);
        if (_archive.TryGetValue(norm, out var bytes))
        {
            return Decode(bytes, relativePath);
        }

        var full = Path.IsPathRooted(relativePath) ? relativePath : Path.Combine(_root, relativePath);
        return Decode(File.ReadAllBytes(full), relativePath);
    }

    private static bool IsTestFile(string path) =>
        path.EndsWith(".json", StringComparison.Ordinal) && !path.EndsWith(".entities.json", StringComparison.Ordinal);

    private static string Normalize(string p)
    {
        p = p.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        return p;
    }

    private static string Decode(byte[] bytes, string name)
    {
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"{name} is not valid UTF-8", ex);
        }
    }
}
