namespace Writ.Cedar.Json;

/// <summary>
/// Runs a JSON reader and reports text that System.Text.Json cannot decode (such as unpaired surrogate escapes,
/// which it signals with <see cref="InvalidOperationException"/>) as <see cref="CedarJsonException"/>.
/// </summary>
internal static class JsonGuard
{
    public static T Run<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException ex)
        {
            throw new CedarJsonException("invalid JSON text: " + ex.Message, ex);
        }
    }
}
