using Writ.Core.Security;

namespace Writ.Server.Hosting;

/// <summary>
/// The bootstrap admin token: <c>WRIT_ADMIN_TOKEN</c>, else <c>&lt;data&gt;/admin-token</c>, generated with mode 0600
/// on first start. A token file readable by group or others is refused.
/// </summary>
internal sealed record BootstrapAdminToken(string Token, string? FilePath, bool Generated)
{
    public const string FileName = "admin-token";

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static BootstrapAdminToken Load(string? configured, string dataDirectory)
    {
        if (configured is not null)
        {
            return new BootstrapAdminToken(configured, null, Generated: false);
        }

        DataDirectory.Ensure(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var generated = false;
            try
            {
                using (var stream = new FileStream(path, options))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write("wat." + RandomToken.Create());
                    writer.Write('\n');
                }

                generated = true;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }

            return new BootstrapAdminToken(Read(path), path, generated);
        }

        return new BootstrapAdminToken(Read(path), path, Generated: false);
    }

    private static string Read(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new InvalidOperationException($"the admin token file '{path}' is accessible to group or others; restrict it with `chmod 600 {path}` and start again");
        }

        var token = File.ReadAllText(path).Trim();
        if (token.Length < 32)
        {
            throw new InvalidOperationException($"the admin token file '{path}' holds no usable token (at least 32 characters); delete it to generate a new one");
        }

        return token;
    }
}
