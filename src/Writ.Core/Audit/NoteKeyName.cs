namespace Writ.Core.Audit;

// Signed-note key names: non-empty, no Unicode spaces, no '+', and (as for all note text) no controls.
internal static class NoteKeyName
{
    public const int MaxLength = 256;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '+' || char.IsWhiteSpace(c) || char.IsControl(c) || (char.IsSurrogate(c) && !IsPairAt(name, ref i)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPairAt(string text, ref int i)
    {
        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            i++;
            return true;
        }

        return false;
    }
}
