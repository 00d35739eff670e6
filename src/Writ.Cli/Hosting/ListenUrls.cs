namespace Writ.Cli.Hosting;

// Reads and checks `--urls` ("http://127.0.0.1:7600;https://0.0.0.0:7443"), the format ASP.NET Core uses.
internal static class ListenUrls
{
    public static IReadOnlyList<string> Parse(string text)
    {
        var urls = text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            throw new CliException("--urls is empty; give e.g. http://127.0.0.1:7600.", ExitCodes.Usage);
        }

        foreach (var url in urls)
        {
            // Kestrel's wildcard hosts ("*", "+") are not valid URI hosts, so check them with a stand-in.
            var checkable = url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal);
            if (!Uri.TryCreate(checkable, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.AbsolutePath != "/"
                || !string.IsNullOrEmpty(uri.Query))
            {
                throw new CliException($"--urls: '{url}' is not a listen address like http://127.0.0.1:7600.", ExitCodes.Usage);
            }
        }

        return urls;
    }
}
