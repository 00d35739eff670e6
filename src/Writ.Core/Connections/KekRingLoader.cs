using System.Buffers.Text;
using System.Security.Cryptography;
using Writ.Core.Keys;

namespace Writ.Core.Connections;

/// <summary>
/// Builds the KEK ring from configuration. Each KEK is written <c>id:base64</c> (32 random bytes);
/// several are separated by commas, semicolons or new lines, and the first is current. The text comes
/// from <c>Writ:Connections:Kek</c> (also <c>WRIT_CONNECTIONS__KEK</c>) or from the file named by
/// <c>Writ:Connections:KekFile</c> (mode 0600). The KEK derived from the root key is always in the
/// ring (current when nothing is configured), so secrets sealed before a KEK was configured stay readable.
/// </summary>
public static class KekRingLoader
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The ring for the configured text or file, with the root-derived KEK added.</summary>
    /// <exception cref="InvalidOperationException">The configuration is malformed; the message never quotes key material.</exception>
    public static KekRing Load(string? configured, string? filePath, RootKey rootKey)
    {
        ArgumentNullException.ThrowIfNull(rootKey);
        if (!string.IsNullOrWhiteSpace(configured) && !string.IsNullOrWhiteSpace(filePath))
        {
            throw new InvalidOperationException("configure connection KEKs either in Writ:Connections:Kek or in Writ:Connections:KekFile, not both");
        }

        var text = configured;
        var source = "Writ:Connections:Kek";
        if (!string.IsNullOrWhiteSpace(filePath))
        {
            text = ReadFile(filePath);
            source = $"the KEK file '{filePath}'";
        }

        var keys = new List<KeyEncryptionKey>();
        if (!string.IsNullOrWhiteSpace(text))
        {
            var entries = text.Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < entries.Length; i++)
            {
                keys.Add(Parse(entries[i], i, source));
            }
        }

        var fromRoot = new RootDerivedKek(rootKey);
        if (keys.Any(k => k.Id == fromRoot.Id))
        {
            throw new InvalidOperationException($"{source}: the KEK id '{fromRoot.Id}' is reserved for the KEK derived from the root key");
        }

        keys.Add(fromRoot);
        try
        {
            return new KekRing(keys);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"{source}: {ex.Message}", ex);
        }
    }

    /// <summary>A new KEK in its configuration form, for documentation and tooling.</summary>
    public static string Generate(string id) => id + ":" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(ConfiguredKek.Length));

    private static ConfiguredKek Parse(string entry, int index, string source)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        var id = colon > 0 ? entry[..colon].Trim() : null;
        if (id is null || !Domain.ResourceName.IsValid(id))
        {
            throw new InvalidOperationException($"{source}: entry {index + 1} must be '<id>:<base64 of 32 bytes>' with an id of {Domain.ResourceName.Rule}");
        }

        var value = entry[(colon + 1)..].Trim();
        byte[] bytes;
        try
        {
            bytes = Base64.IsValid(value) ? Convert.FromBase64String(value) : Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source}: the KEK '{id}' is not valid base64; generate one with `openssl rand -base64 32`");
        }

        try
        {
            if (bytes.Length != ConfiguredKek.Length)
            {
                throw new InvalidOperationException($"{source}: the KEK '{id}' must be {ConfiguredKek.Length} bytes, got {bytes.Length}");
            }

            return new ConfiguredKek(id, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static string ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"the KEK file '{path}' does not exist");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new InvalidOperationException($"the KEK file '{path}' is accessible to group or others; restrict it with `chmod 600 {path}`");
        }

        return File.ReadAllText(path);
    }
}
