using System.Buffers.Binary;
using System.Text;

namespace Writ.Core.Audit;

// The C2SP signed-note envelope: text, a blank line, then signature lines "— <name> <base64>".
internal static class SignedNote
{
    public const int MaxLength = 64 * 1024;
    public const int MaxSignatures = 100;

    private const string SignaturePrefix = "\u2014 ";

    // The note text (with its final newline) when a signature by `key` verifies over it.
    public static string Open(string note, AuditVerifierKey key)
    {
        if (note.Length > MaxLength)
        {
            throw new CheckpointException($"the note is longer than {MaxLength} characters");
        }

        CheckCharacters(note);
        var separator = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (separator < 0)
        {
            throw new CheckpointException("the note has no blank line before its signatures");
        }

        var text = note[..(separator + 1)];
        var signatures = note[(separator + 2)..];
        if (signatures.Length == 0 || signatures[^1] != '\n')
        {
            throw new CheckpointException("the note has no signature lines, or its last line does not end in a newline");
        }

        var lines = signatures[..^1].Split('\n');
        if (lines.Length > MaxSignatures)
        {
            throw new CheckpointException($"the note has more than {MaxSignatures} signatures");
        }

        var message = Encoding.UTF8.GetBytes(text);
        var verified = false;
        foreach (var line in lines)
        {
            var (name, blob) = ParseSignatureLine(line);
            if (!string.Equals(name, key.Name, StringComparison.Ordinal) || BinaryPrimitives.ReadUInt32BigEndian(blob) != key.KeyId)
            {
                // Other keys (witnesses, a rotated key) may co-sign; the spec says to ignore them.
                continue;
            }

            if (!key.Verify(message, blob.AsSpan(4)))
            {
                throw new CheckpointException($"the signature of {key.Name} does not verify");
            }

            verified = true;
        }

        return verified ? text : throw new CheckpointException($"the note carries no signature by the audit key {key.Name}+{key.KeyId:x8}");
    }

    private static (string Name, byte[] Blob) ParseSignatureLine(string line)
    {
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            throw new CheckpointException("a signature line starts with an em dash and a space");
        }

        var rest = line[SignaturePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            throw new CheckpointException("a signature line is '— <key name> <base64 signature>'");
        }

        var name = rest[..space];
        if (!NoteKeyName.IsValid(name))
        {
            throw new CheckpointException("a signature line has an invalid key name");
        }

        var blob = StrictBase64.Decode(rest[(space + 1)..]);
        if (blob is null || blob.Length < 5)
        {
            throw new CheckpointException("a signature is base64 of a 4-byte key id and the signature");
        }

        return (name, blob);
    }

    private static void CheckCharacters(string note)
    {
        for (var i = 0; i < note.Length; i++)
        {
            var c = note[i];
            if (c < 0x20 && c != '\n')
            {
                throw new CheckpointException("the note contains a control character");
            }

            if (char.IsHighSurrogate(c) && i + 1 < note.Length && char.IsLowSurrogate(note[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new CheckpointException("the note is not valid Unicode");
            }
        }
    }
}
