namespace Writ.Core.Keys;

/// <summary>Loads the root key from configuration, the environment or a protected file.</summary>
public static class RootKeySource
{
    /// <summary>The environment variable holding the base64 root key.</summary>
    public const string EnvironmentVariable = "WRIT_ROOT_KEY";

    /// <summary>The file name of the root key in the data directory.</summary>
    public const string FileName = "root.key";

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// The first of: <see cref="RootKeyOptions.Value"/>, the <c>WRIT_ROOT_KEY</c> environment variable,
    /// <see cref="RootKeyOptions.FilePath"/>, an existing <c>&lt;data&gt;/root.key</c>, and — only with
    /// <see cref="RootKeyOptions.GenerateIfMissing"/> — a newly generated <c>&lt;data&gt;/root.key</c>.
    /// </summary>
    /// <param name="options">Where to look.</param>
    /// <param name="environment">Reads an environment variable; defaults to the process environment.</param>
    /// <exception cref="RootKeyException">No usable key, a malformed key, or a key file readable by others.</exception>
    public static RootKey Load(RootKeyOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        environment ??= Environment.GetEnvironmentVariable;

        if (!string.IsNullOrWhiteSpace(options.Value))
        {
            return RootKey.FromBase64(options.Value);
        }

        var fromEnvironment = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return RootKey.FromBase64(fromEnvironment);
        }

        if (!string.IsNullOrWhiteSpace(options.FilePath))
        {
            if (!File.Exists(options.FilePath))
            {
                throw new RootKeyException($"the root key file '{options.FilePath}' does not exist");
            }

            return ReadFile(options.FilePath);
        }

        if (!string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            var path = Path.Combine(options.DataDirectory, FileName);
            if (File.Exists(path))
            {
                return ReadFile(path);
            }

            if (options.GenerateIfMissing)
            {
                return Generate(path);
            }
        }

        throw new RootKeyException(
            $"no root key configured: set {EnvironmentVariable} to base64 of 32 random bytes (for example `openssl rand -base64 32`), " +
            "or point the root key file option at a file with mode 0600");
    }

    /// <summary>Reads a root key file after checking that only its owner can access it.</summary>
    /// <exception cref="RootKeyException">The file is accessible to group or others, or malformed.</exception>
    public static RootKey ReadFile(string path)
    {
        EnsureOwnerOnly(path);
        var text = File.ReadAllText(path);
        try
        {
            return RootKey.FromBase64(text);
        }
        catch (RootKeyException ex)
        {
            throw new RootKeyException($"the root key file '{path}' is malformed: {ex.Message}", ex);
        }
    }

    private static void EnsureOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            throw new RootKeyException(
                $"the root key file '{path}' is accessible to group or others (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}); " +
                $"restrict it with `chmod 600 {path}` and start again");
        }
    }

    private static RootKey Generate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var key = RootKey.Generate();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(key.ToBase64());
            writer.Write('\n');
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process generated it first; use theirs so both agree.
        }

        return ReadFile(path);
    }
}
