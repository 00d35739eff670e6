using System.Security.Cryptography;
using System.Text;
using Writ.Core.Connections;
using Writ.Core.Keys;

namespace Writ.Core.Tests.Connections;

public sealed class ConnectionSecretsTests : IDisposable
{
    private readonly RootKey _root = RootKey.Generate();

    private static byte[] Secret(string text) => Encoding.UTF8.GetBytes(text);

    private static ConfiguredKek Kek(string id) => new(id, RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void SealedSecret_OpensToTheSameBytes_AndHidesThem()
    {
        var secrets = new ConnectionSecrets(new KekRing([Kek("k1")]));

        var sealedSecret = secrets.Seal("con_a", Secret("sk-live-123456"));

        Assert.Equal("k1", sealedSecret.KekId);
        Assert.Equal("sk-live-123456", Encoding.UTF8.GetString(secrets.TryOpen("con_a", sealedSecret)!));
        Assert.DoesNotContain("sk-live", Encoding.Latin1.GetString(sealedSecret.Ciphertext), StringComparison.Ordinal);
        Assert.NotEqual(sealedSecret.Ciphertext, secrets.Seal("con_a", Secret("sk-live-123456")).Ciphertext);
    }

    [Fact]
    public void CiphertextSwappedBetweenConnections_FailsToDecrypt()
    {
        var secrets = new ConnectionSecrets(new KekRing([Kek("k1")]));
        var ofA = secrets.Seal("con_a", Secret("secret of a"));
        var ofB = secrets.Seal("con_b", Secret("secret of b"));

        Assert.Null(secrets.TryOpen("con_b", ofA));
        Assert.Null(secrets.TryOpen("con_a", ofB));
    }

    [Fact]
    public void TamperedCiphertext_FailsToDecrypt()
    {
        var secrets = new ConnectionSecrets(new KekRing([Kek("k1")]));
        var sealedSecret = secrets.Seal("con_a", Secret("secret"));

        for (var i = 0; i < sealedSecret.Ciphertext.Length; i += 7)
        {
            var altered = (byte[])sealedSecret.Ciphertext.Clone();
            altered[i] ^= 0x01;
            Assert.Null(secrets.TryOpen("con_a", sealedSecret with { Ciphertext = altered }));
        }

        Assert.Null(secrets.TryOpen("con_a", sealedSecret with { Ciphertext = sealedSecret.Ciphertext[..^1] }));
        Assert.Null(secrets.TryOpen("con_a", sealedSecret with { Ciphertext = [] }));
    }

    [Fact]
    public void SecretUnderUnknownKek_FailsToDecrypt()
    {
        var sealedSecret = new ConnectionSecrets(new KekRing([Kek("k1")])).Seal("con_a", Secret("secret"));
        var otherKeyWithSameId = new ConnectionSecrets(new KekRing([Kek("k1")]));
        var withoutK1 = new ConnectionSecrets(new KekRing([Kek("k2")]));

        Assert.Null(otherKeyWithSameId.TryOpen("con_a", sealedSecret));
        Assert.Null(withoutK1.TryOpen("con_a", sealedSecret));
        Assert.Null(withoutK1.TryOpen("con_a", sealedSecret with { KekId = "k2" }));
    }

    [Fact]
    public void KekRotation_KeepsOldSecretsReadable_AndResealMovesThemToTheNewKek()
    {
        var k1 = Kek("k1");
        var before = new ConnectionSecrets(new KekRing([k1]));
        var old = before.Seal("con_a", Secret("old secret"));

        // Rotation: k2 becomes current, k1 stays for decryption.
        var after = new ConnectionSecrets(new KekRing([Kek("k2"), k1]));
        Assert.Equal("k2", after.CurrentKekId);
        Assert.Equal("old secret", Encoding.UTF8.GetString(after.TryOpen("con_a", old)!));
        Assert.Equal("k2", after.Seal("con_b", Secret("new")).KekId);

        var resealed = after.TryReseal("con_a", old)!;
        Assert.Equal("k2", resealed.KekId);
        Assert.Equal("old secret", Encoding.UTF8.GetString(after.TryOpen("con_a", resealed)!));
    }

    [Fact]
    public void RootDerivedKek_IsTheDefault_AndStaysReadableAfterAKekIsConfigured()
    {
        var defaults = new ConnectionSecrets(KekRingLoader.Load(null, null, _root));
        Assert.Equal("root." + _root.Id, defaults.CurrentKekId);
        var sealedSecret = defaults.Seal("con_a", Secret("from before"));

        var configured = new ConnectionSecrets(KekRingLoader.Load(KekRingLoader.Generate("kek-2026"), null, _root));
        Assert.Equal("kek-2026", configured.CurrentKekId);
        Assert.Equal("from before", Encoding.UTF8.GetString(configured.TryOpen("con_a", sealedSecret)!));

        using var otherRoot = RootKey.Generate();
        Assert.Null(new ConnectionSecrets(KekRingLoader.Load(null, null, otherRoot)).TryOpen("con_a", sealedSecret));
    }

    [Fact]
    public void SeveralConfiguredKeks_FirstIsCurrent()
    {
        var ring = KekRingLoader.Load(KekRingLoader.Generate("new") + "," + KekRingLoader.Generate("old"), null, _root);

        Assert.Equal("new", ring.Current.Id);
        Assert.NotNull(ring.Find("old"));
        Assert.NotNull(ring.Find("root." + _root.Id));
    }

    [Theory]
    [InlineData("no-colon-here")]
    [InlineData("Bad Id:AAAA")]
    [InlineData("k1:not base64!")]
    [InlineData("k1:AAAA")]
    public void MalformedKekConfiguration_StopsStartup_WithoutEchoingKeyMaterial(string text)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => KekRingLoader.Load(text, null, _root));

        Assert.DoesNotContain("AAAA", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKekIds_StopStartup()
    {
        Assert.Throws<InvalidOperationException>(() => KekRingLoader.Load(KekRingLoader.Generate("k1") + "\n" + KekRingLoader.Generate("k1"), null, _root));
    }

    [Fact]
    public void KekFileReadableByOthers_StopsStartup()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), "writ-kek-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, KekRingLoader.Generate("k1"));
        try
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.Throws<InvalidOperationException>(() => KekRingLoader.Load(null, path, _root));

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Equal("k1", KekRingLoader.Load(null, path, _root).Current.Id);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose() => _root.Dispose();
}
