using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;

namespace Writ.Core.Tests.Audit;

// A second verifier of a whole log, written from RFC 9162, C2SP signed-note/tlog-checkpoint and
// docs/concepts/audit-log.md, sharing no code with Writ.Core.Audit: it parses the verifier key and
// notes itself, reads "seq" with System.Text.Json and recomputes each checkpoint's root with
// ReferenceMerkle. It answers only whether the log is intact.
internal static class ReferenceLogVerifier
{
    public static bool Verify(IReadOnlyList<byte[]> canonicalRecords, IReadOnlyList<string> notes, string verifierKey)
    {
        var keyParts = verifierKey.Split('+', 3);
        var keyBlob = Convert.FromBase64String(keyParts[2]);
        var name = keyParts[0];
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, keyBlob.AsSpan(1), KeyBlobFormat.RawPublicKey);
        var keyId = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, .. keyBlob]));

        var leafHashes = new List<byte[]>();
        for (var i = 0; i < canonicalRecords.Count; i++)
        {
            using var document = JsonDocument.Parse(canonicalRecords[i]);
            if (document.RootElement.GetProperty("seq").GetInt64() != i)
            {
                return false;
            }

            leafHashes.Add(ReferenceMerkle.Leaf(canonicalRecords[i]));
        }

        foreach (var note in notes)
        {
            var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
            if (split < 0)
            {
                return false;
            }

            var text = note[..(split + 1)];
            var signed = false;
            foreach (var line in note[(split + 2)..].TrimEnd('\n').Split('\n'))
            {
                var fields = line.Split(' ');
                if (fields.Length != 3 || fields[0] != "\u2014")
                {
                    return false;
                }

                var blob = Convert.FromBase64String(fields[2]);
                if (fields[1] == name && BinaryPrimitives.ReadUInt32BigEndian(blob) == keyId)
                {
                    if (!SignatureAlgorithm.Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(text), blob.AsSpan(4)))
                    {
                        return false;
                    }

                    signed = true;
                }
            }

            var body = text.TrimEnd('\n').Split('\n');
            if (!signed || body.Length != 3 || body[0] != name)
            {
                return false;
            }

            var size = int.Parse(body[1], System.Globalization.CultureInfo.InvariantCulture);
            if (size > leafHashes.Count || !ReferenceMerkle.Root(leafHashes.Take(size).ToList()).AsSpan().SequenceEqual(Convert.FromBase64String(body[2])))
            {
                return false;
            }
        }

        return true;
    }
}
