using System.Security.Cryptography;
using Writ.Core.Keys;

namespace Writ.Core.Tests.Keys;

public sealed class RootKeySourceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "writ-rootkey-" + Guid.NewGuid().ToString("N"));

    public RootKeySourceTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void ConfiguredValue_IsUsedFirst()
    {
        var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var expected = RootKey.FromBase64(value);

        using var key = RootKeySource.Load(new RootKeyOptions { Value = value, DataDirectory = _directory, GenerateIfMissing = true }, Environment(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

        Assert.Equal(expected.Id, key.Id);
        Assert.False(File.Exists(Path.Combine(_directory, "root.key")));
    }

    [Fact]
    public void EnvironmentVariable_IsUsed()
    {
        var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var expected = RootKey.FromBase64(value);

        using var key = RootKeySource.Load(new RootKeyOptions { DataDirectory = _directory }, Environment(value));

        Assert.Equal(expected.Id, key.Id);
    }

    [Fact]
    public void OwnerOnlyFile_IsRead()
    {
        var path = WriteKeyFile("custom.key", UnixFileMode.UserRead | UnixFileMode.UserWrite, out var expectedId);

        using var key = RootKeySource.Load(new RootKeyOptions { FilePath = path }, Environment(null));

        Assert.Equal(expectedId, key.Id);
    }

    [Fact]
    public void KeyFileReadableByOthers_IsRefused()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only");
        var path = WriteKeyFile("custom.key", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, out _);

        var error = Assert.Throws<RootKeyException>(() => RootKeySource.Load(new RootKeyOptions { FilePath = path }, Environment(null)));

        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
        Assert.Contains("0604", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyFileReadableByGroup_IsRefused()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only");
        var path = WriteKeyFile("root.key", UnixFileMode.UserRead | UnixFileMode.GroupRead, out _);

        Assert.Throws<RootKeyException>(() => RootKeySource.Load(new RootKeyOptions { DataDirectory = _directory, GenerateIfMissing = true }, Environment(null)));
    }

    [Fact]
    public void MissingKeyFile_IsRefused()
    {
        var error = Assert.Throws<RootKeyException>(() => RootKeySource.Load(new RootKeyOptions { FilePath = Path.Combine(_directory, "absent.key") }, Environment(null)));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedKeyFile_IsRefused()
    {
        var path = Path.Combine(_directory, "root.key");
        File.WriteAllText(path, "short");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var error = Assert.Throws<RootKeyException>(() => RootKeySource.Load(new RootKeyOptions { DataDirectory = _directory }, Environment(null)));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoKeyOutsideDevMode_IsRefusedWithHowToFix()
    {
        var error = Assert.Throws<RootKeyException>(() => RootKeySource.Load(new RootKeyOptions { DataDirectory = _directory }, Environment(null)));

        Assert.Contains("WRIT_ROOT_KEY", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "root.key")));
    }

    [Fact]
    public void DevMode_GeneratesOwnerOnlyKeyFile_ThenReusesIt()
    {
        var options = new RootKeyOptions { DataDirectory = _directory, GenerateIfMissing = true };

        using var first = RootKeySource.Load(options, Environment(null));
        using var second = RootKeySource.Load(options, Environment(null));

        var path = Path.Combine(_directory, "root.key");
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal(first.Id, second.Id);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Func<string, string?> Environment(string? rootKey) =>
        name => name == RootKeySource.EnvironmentVariable ? rootKey : null;

    private string WriteKeyFile(string name, UnixFileMode mode, out string id)
    {
        var path = Path.Combine(_directory, name);
        using var key = RootKey.Generate();
        File.WriteAllText(path, key.ToBase64());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        id = key.Id;
        return path;
    }
}
