namespace Writ.Cli.Cedar;

// Finds `//` comments in Cedar policy text: the formatter prints from the syntax tree, which keeps no comments,
// so `format --write` must not silently drop them.
internal static class CedarComments
{
    public static bool Contains(string text)
    {
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                return true;
            }
        }

        return false;
    }
}
