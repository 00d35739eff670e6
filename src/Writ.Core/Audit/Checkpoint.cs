using System.Globalization;

namespace Writ.Core.Audit;

/// <summary>
/// A C2SP tlog checkpoint: the log's origin, its tree size and the Merkle root at that size. Its
/// note text is exactly three lines (Writ writes and accepts no extension lines).
/// </summary>
public sealed record Checkpoint
{
    /// <summary>A checkpoint of <paramref name="origin"/> at <paramref name="treeSize"/> with root <paramref name="rootHash"/>.</summary>
    public Checkpoint(string origin, long treeSize, ReadOnlySpan<byte> rootHash)
    {
        if (!NoteKeyName.IsValid(origin))
        {
            throw new ArgumentException("the origin must be non-empty, without spaces, '+' or control characters", nameof(origin));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        if (rootHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("a root hash is 32 bytes", nameof(rootHash));
        }

        Origin = origin;
        TreeSize = treeSize;
        RootHash = rootHash.ToArray();
    }

    /// <summary>The log's identity, which is also the name of the key that signs it.</summary>
    public string Origin { get; }

    /// <summary>The number of records the checkpoint covers.</summary>
    public long TreeSize { get; }

    /// <summary>The 32-byte Merkle root of the first <see cref="TreeSize"/> records.</summary>
    public ReadOnlyMemory<byte> RootHash { get; }

    /// <summary>
    /// Parses <paramref name="note"/> and checks that the audit key <paramref name="key"/> signed it:
    /// a signed note whose text is exactly origin (equal to the key name), tree size and root hash.
    /// </summary>
    /// <exception cref="CheckpointException">Anything is malformed, the key did not sign it, or its signature fails.</exception>
    public static Checkpoint Verify(string note, AuditVerifierKey key)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(key);
        var text = SignedNote.Open(note, key);
        var checkpoint = ParseText(text);
        if (!string.Equals(checkpoint.Origin, key.Name, StringComparison.Ordinal))
        {
            throw new CheckpointException($"the checkpoint's origin '{checkpoint.Origin}' is not the audit key's name '{key.Name}'");
        }

        return checkpoint;
    }

    /// <summary>The root hash as a new array.</summary>
    public byte[] RootHashBytes() => RootHash.ToArray();

    /// <summary>The note text: <c>origin\nsize\nbase64(root)\n</c>.</summary>
    public string ToNoteText() =>
        $"{Origin}\n{TreeSize.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHashBytes())}\n";

    internal static Checkpoint ParseText(string text)
    {
        if (text.Length == 0 || text[^1] != '\n')
        {
            throw new CheckpointException("the checkpoint text must end in a newline");
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3)
        {
            throw new CheckpointException("a checkpoint has an origin, a tree size and a root hash line");
        }

        if (lines.Length > 3)
        {
            throw new CheckpointException("the checkpoint has extension lines, which Writ does not write");
        }

        if (!NoteKeyName.IsValid(lines[0]))
        {
            throw new CheckpointException("the checkpoint's origin line is empty or has spaces or '+'");
        }

        var size = lines[1];
        if (size.Length == 0 || size.Length > 19 || (size.Length > 1 && size[0] == '0') || !size.All(char.IsAsciiDigit)
            || !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var treeSize))
        {
            throw new CheckpointException("the tree size line is not a decimal number without leading zeros");
        }

        var root = StrictBase64.Decode(lines[2]);
        if (root is null || root.Length != MerkleHash.Size)
        {
            throw new CheckpointException("the root hash line is not base64 of 32 bytes");
        }

        return new Checkpoint(lines[0], treeSize, root);
    }

    /// <inheritdoc />
    public bool Equals(Checkpoint? other) =>
        other is not null && Origin == other.Origin && TreeSize == other.TreeSize && RootHash.Span.SequenceEqual(other.RootHash.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Origin, TreeSize);
}
