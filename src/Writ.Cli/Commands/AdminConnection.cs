namespace Writ.Cli.Commands;

// Where the admin API is and which token to present, with where each came from (named in error hints).
internal sealed record AdminConnection(Uri Server, string Token, string TokenSource)
{
    public static AdminConnection Resolve(string? serverOption, string? tokenOption, CliContext context)
    {
        var server = ResolveServer(serverOption, context);
        var (token, source) = ResolveToken(tokenOption, context);

        // A bearer token is printable ASCII without spaces (RFC 6750 b64token); anything else is a copy-paste accident.
        if (token.Any(c => c is <= ' ' or > '~'))
        {
            throw new CliException($"the admin token from {source} contains spaces or characters a token cannot have; check what was pasted.", ExitCodes.Usage);
        }

        return new AdminConnection(server, token, source);
    }

    public static Uri ResolveServer(string? serverOption, CliContext context)
    {
        var text = FirstNonEmpty(serverOption, context.GetEnvironmentVariable(GlobalOptions.ServerVariable)) ?? GlobalOptions.DefaultServer;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new CliException(
                $"'{text}' is not a server URL; pass --server (or set {GlobalOptions.ServerVariable}) as http(s)://host:port, e.g. {GlobalOptions.DefaultServer}.",
                ExitCodes.Usage);
        }

        return uri;
    }

    private static (string Token, string Source) ResolveToken(string? tokenOption, CliContext context)
    {
        if (FirstNonEmpty(tokenOption) is { } flag)
        {
            return (flag, "--token");
        }

        if (FirstNonEmpty(context.GetEnvironmentVariable(GlobalOptions.TokenVariable)) is { } env)
        {
            return (env, GlobalOptions.TokenVariable);
        }

        var file = Path.Combine(context.WorkingDirectory, GlobalOptions.DevTokenFile);
        if (File.Exists(file))
        {
            try
            {
                if (FirstNonEmpty(File.ReadAllText(file)) is { } saved)
                {
                    return (saved, "./" + GlobalOptions.DevTokenFile.Replace('\\', '/'));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read the admin token in {file}: {e.Message}. Pass --token or set {GlobalOptions.TokenVariable}.", ExitCodes.Usage);
            }
        }

        throw new CliException(
            $"no admin token. Pass --token or set {GlobalOptions.TokenVariable}; with `writ dev`, run this command in the directory where `writ dev` runs (it saves the token to ./.writ/admin-token).",
            ExitCodes.Usage);
    }

    private static string? FirstNonEmpty(params string?[] values) =>
        values.Select(v => v?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    // A bearer token sent in clear text beyond this machine can be read by anyone on the path.
    public bool SendsTokenInClearText => Server.Scheme == Uri.UriSchemeHttp && !Server.IsLoopback;
}
