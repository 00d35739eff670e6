using System.Security.Cryptography;
using Writ.Core.Audit;
using Writ.Core.Keys;

namespace Writ.Core.Tests.Audit;

public sealed class CheckpointTests
{
    private const string Origin = "writ.test/audit";

    // golang.org/x/mod/sumdb/note's example key and note (RFC 8032 signatures are deterministic).
    private const string GoVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string GoPrivateKey = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string GoText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string GoNote = GoText + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    private static readonly byte[] Root = SHA256.HashData("root"u8);

    [Fact]
    public void GoReferenceNote_VerifiesAndIsReproducedByteForByte()
    {
        var key = AuditVerifierKey.Parse(GoVerifierKey);
        Assert.Equal(0xc74f20a3u, key.KeyId);
        Assert.Equal(GoVerifierKey, key.ToString());
        Assert.Equal(GoText, SignedNote.Open(GoNote, key));

        using var signer = AuditSigningKey.FromSeed("PeterNeumann", Convert.FromBase64String(GoPrivateKey).AsSpan(1));
        Assert.Equal(GoVerifierKey, signer.VerifierKey.ToString());
        Assert.Equal(GoNote, signer.SignNote(GoText));
    }

    [Fact]
    public void SignedCheckpoint_Verifies()
    {
        using var key = AuditSigningKey.Generate(Origin);
        var note = key.SignCheckpoint(new Checkpoint(Origin, 1042, Root));

        var checkpoint = Checkpoint.Verify(note, AuditVerifierKey.Parse(key.VerifierKey.ToString()));

        Assert.Equal(new Checkpoint(Origin, 1042, Root), checkpoint);
        Assert.StartsWith($"{Origin}\n1042\n{Convert.ToBase64String(Root)}\n\n\u2014 {Origin} ", note, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyTreeCheckpoint_Verifies()
    {
        using var key = AuditSigningKey.Generate(Origin);
        var note = key.SignCheckpoint(new Checkpoint(Origin, 0, MerkleHash.EmptyRoot()));

        Assert.Equal(0, Checkpoint.Verify(note, key.VerifierKey).TreeSize);
    }


    [Fact]
    public void TamperedOriginLine_IsRejected() => AssertTamperRejected(note => note.Replace(Origin + "\n1042", "writ.test/other\n1042", StringComparison.Ordinal));

    [Fact]
    public void TamperedSizeLine_IsRejected() => AssertTamperRejected(note => note.Replace("\n1042\n", "\n1043\n", StringComparison.Ordinal));

    [Fact]
    public void TamperedRootLine_IsRejected() => AssertTamperRejected(note =>
    {
        var other = (byte[])Root.Clone();
        other[0] ^= 1;
        return note.Replace(Convert.ToBase64String(Root), Convert.ToBase64String(other), StringComparison.Ordinal);
    });

    [Fact]
    public void TamperedSignatureLine_IsRejected() => AssertTamperRejected(note =>
    {
        var start = note.LastIndexOf(' ') + 1;
        var blob = Convert.FromBase64String(note[start..^1]);
        blob[10] ^= 0x20;
        return note[..start] + Convert.ToBase64String(blob) + "\n";
    });

    [Theory]
    [InlineData("extension line", "{body}ext\n\n{sig}")]
    [InlineData("missing root line", "{origin}\n{size}\n\n{sig}")]
    [InlineData("missing blank line", "{body}{sig}")]
    [InlineData("no signature", "{body}\n")]
    [InlineData("no final newline", "{body}\n{sigNoNewline}")]
    [InlineData("leading zero size", "{origin}\n01042\n{root}\n\n{sig}")]
    [InlineData("negative size", "{origin}\n-1042\n{root}\n\n{sig}")]
    [InlineData("plus sign size", "{origin}\n+1042\n{root}\n\n{sig}")]
    [InlineData("short root", "{origin}\n{size}\nAAAA\n\n{sig}")]
    [InlineData("carriage return", "{origin}\r\n{size}\n{root}\n\n{sig}")]
    [InlineData("signature without dash", "{body}\n- {sigTail}")]
    [InlineData("signature with bad base64", "{body}\n\u2014 " + Origin + " !!!!\n")]
    [InlineData("signature with whitespace in base64", "{body}\n\u2014 " + Origin + " {sigBlob} \n")]
    [InlineData("empty line among signatures", "{body}\n{sig}\n")]
    public void MalformedNote_IsRejected(string why, string template)
    {
        using var key = AuditSigningKey.Generate(Origin);
        var note = key.SignCheckpoint(new Checkpoint(Origin, 1042, Root));
        var separator = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        var body = note[..(separator + 1)];
        var sig = note[(separator + 2)..];
        var text = template
            .Replace("{body}", body, StringComparison.Ordinal)
            .Replace("{origin}", Origin, StringComparison.Ordinal)
            .Replace("{size}", "1042", StringComparison.Ordinal)
            .Replace("{root}", Convert.ToBase64String(Root), StringComparison.Ordinal)
            .Replace("{sigNoNewline}", sig[..^1], StringComparison.Ordinal)
            .Replace("{sigTail}", sig[2..], StringComparison.Ordinal)
            .Replace("{sigBlob}", sig[(sig.LastIndexOf(' ') + 1)..^1], StringComparison.Ordinal)
            .Replace("{sig}", sig, StringComparison.Ordinal);

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Verify(text, key.VerifierKey));
        Assert.False(string.IsNullOrEmpty(error.Message), why);
    }

    [Fact]
    public void NoteSignedOnlyByAnotherKey_IsRejected()
    {
        using var key = AuditSigningKey.Generate(Origin);
        using var other = AuditSigningKey.Generate(Origin);
        var note = other.SignCheckpoint(new Checkpoint(Origin, 5, Root));

        Assert.Throws<CheckpointException>(() => Checkpoint.Verify(note, key.VerifierKey));
    }

    [Fact]
    public void CosignatureFromUnknownKey_IsIgnored()
    {
        using var key = AuditSigningKey.Generate(Origin);
        using var witness = AuditSigningKey.Generate("witness.test/w1");
        var note = key.SignCheckpoint(new Checkpoint(Origin, 5, Root));
        var body = note[..(note.LastIndexOf("\n\n", StringComparison.Ordinal) + 1)];
        var witnessLine = witness.SignNote(body)[(body.Length + 1)..];

        Assert.Equal(5, Checkpoint.Verify(note + witnessLine, key.VerifierKey).TreeSize);
        Assert.Equal(5, Checkpoint.Verify(body + "\n" + witnessLine + note[(body.Length + 1)..], key.VerifierKey).TreeSize);
    }

    [Fact]
    public void SignatureClaimingTheAuditKeyButFailing_RejectsTheNote()
    {
        using var key = AuditSigningKey.Generate(Origin);
        var note = key.SignCheckpoint(new Checkpoint(Origin, 5, Root));
        var line = note[(note.LastIndexOf("\n\n", StringComparison.Ordinal) + 2)..];
        var blob = Convert.FromBase64String(line[(line.LastIndexOf(' ') + 1)..^1]);
        blob[^1] ^= 1;
        var forged = $"\u2014 {Origin} {Convert.ToBase64String(blob)}\n";

        Assert.Throws<CheckpointException>(() => Checkpoint.Verify(note + forged, key.VerifierKey));
    }

    [Fact]
    public void OriginOtherThanTheKeyName_IsRejected()
    {
        using var key = AuditSigningKey.Generate(Origin);
        var note = key.SignNote(new Checkpoint("writ.test/elsewhere", 5, Root).ToNoteText());

        Assert.Throws<CheckpointException>(() => Checkpoint.Verify(note, key.VerifierKey));
        Assert.Throws<ArgumentException>(() => key.SignCheckpoint(new Checkpoint("writ.test/elsewhere", 5, Root)));
    }

    [Fact]
    public void OversizedNote_IsRejected()
    {
        using var key = AuditSigningKey.Generate(Origin);
        var note = key.SignCheckpoint(new Checkpoint(Origin, 5, Root));

        Assert.Throws<CheckpointException>(() => Checkpoint.Verify(new string('a', SignedNote.MaxLength) + note, key.VerifierKey));
    }

    [Fact]
    public void VerifierKeyWithPlusInItsBase64_IsParsed()
    {
        // A verifier key of transparency-dev/formats' note tests.
        const string text = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6";

        var key = AuditVerifierKey.Parse(text);

        Assert.Equal(("TEST", 0x7997405cu, text), (key.Name, key.KeyId, key.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("PeterNeumann+c74f20a3")]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+AhpXc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+")]
    public void MalformedVerifierKey_IsRejected(string text) =>
        Assert.Throws<AuditKeyException>(() => AuditVerifierKey.Parse(text));

    [Fact]
    public void ProtectedPrivateKey_RoundTripsUnderTheRootKey()
    {
        using var root = RootKey.Generate();
        using var key = AuditSigningKey.Generate(Origin);
        var sealedKey = key.ExportProtected(root);

        using var imported = AuditSigningKey.ImportProtected(Origin, key.VerifierKey.PublicKey, sealedKey, root);
        var note = imported.SignCheckpoint(new Checkpoint(Origin, 7, Root));

        Assert.Equal(key.VerifierKey.ToString(), imported.VerifierKey.ToString());
        Assert.Equal(7, Checkpoint.Verify(note, key.VerifierKey).TreeSize);
        Assert.DoesNotContain(Convert.ToBase64String(sealedKey), note, StringComparison.Ordinal);
    }

    [Fact]
    public void ProtectedPrivateKey_UnderAnotherRootKey_IsRejected()
    {
        using var root = RootKey.Generate();
        using var otherRoot = RootKey.Generate();
        using var key = AuditSigningKey.Generate(Origin);

        Assert.Throws<AuditKeyException>(() => AuditSigningKey.ImportProtected(Origin, key.VerifierKey.PublicKey, key.ExportProtected(root), otherRoot));
    }

    [Fact]
    public void ProtectedPrivateKey_WithAnotherPublicKeyOrName_IsRejected()
    {
        using var root = RootKey.Generate();
        using var key = AuditSigningKey.Generate(Origin);
        using var other = AuditSigningKey.Generate(Origin);
        var sealedKey = key.ExportProtected(root);

        Assert.Throws<AuditKeyException>(() => AuditSigningKey.ImportProtected(Origin, other.VerifierKey.PublicKey, sealedKey, root));
        Assert.Throws<AuditKeyException>(() => AuditSigningKey.ImportProtected("writ.test/renamed", key.VerifierKey.PublicKey, sealedKey, root));
        sealedKey[^1] ^= 1;
        Assert.Throws<AuditKeyException>(() => AuditSigningKey.ImportProtected(Origin, key.VerifierKey.PublicKey, sealedKey, root));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("has+plus")]
    [InlineData("tab\there")]
    public void InvalidKeyName_IsRejected(string name) =>
        Assert.Throws<AuditKeyException>(() => AuditSigningKey.Generate(name));

    private static void AssertTamperRejected(Func<string, string> tamper)
    {
        using var key = AuditSigningKey.Generate(Origin);
        var note = key.SignCheckpoint(new Checkpoint(Origin, 1042, Root));
        var tampered = tamper(note);

        Assert.NotEqual(note, tampered);
        Assert.Throws<CheckpointException>(() => Checkpoint.Verify(tampered, key.VerifierKey));
    }
}
