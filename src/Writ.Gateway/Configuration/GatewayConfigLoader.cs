using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Writ.Core.Domain;

namespace Writ.Gateway.Configuration;

/// <summary>Reads and validates the configuration file; every problem is reported at once, each naming its field.</summary>
internal static partial class GatewayConfigLoader
{
    private const long DefaultMaxBodyBytes = 4 * 1024 * 1024;
    private const double DefaultUpstreamTimeoutSeconds = 100;
    private const double DefaultStreamIdleTimeoutSeconds = 3600;
    private const double MaxStreamIdleTimeoutSeconds = 86400;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>Reads <paramref name="path"/>; throws <see cref="GatewayConfigException"/> when it is missing or invalid.</summary>
    public static GatewaySettings Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new GatewayConfigException($"Cannot read the gateway configuration '{path}': {ex.Message}");
        }

        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    /// <summary>Parses and validates configuration text; relative file paths are resolved against <paramref name="baseDirectory"/>.</summary>
    public static GatewaySettings Parse(string text, string baseDirectory)
    {
        GatewayConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<GatewayConfig>(text, Json);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } p ? $" at {p}" : string.Empty;
            var line = ex.LineNumber is { } l ? $" (line {l + 1})" : string.Empty;
            throw new GatewayConfigException($"The gateway configuration is not valid JSON{where}{line}: {FirstSentence(ex.Message)}");
        }

        if (config is null)
        {
            throw new GatewayConfigException("The gateway configuration is empty; see docs/guides/gateway.md for an example.");
        }

        var errors = new List<string>();
        var settings = Validate(config, baseDirectory, errors);
        if (errors.Count > 0)
        {
            var message = new StringBuilder("The gateway configuration is invalid:");
            foreach (var error in errors)
            {
                message.Append("\n  - ").Append(error);
            }

            throw new GatewayConfigException(message.ToString());
        }

        return settings!;
    }

    private static GatewaySettings? Validate(GatewayConfig config, string baseDirectory, List<string> errors)
    {
        var writ = config.Writ;
        Uri? issuer = null;
        TrustDomain? trustDomain = null;
        Uri? jwks = null, revocations = null, tokenEndpoint = null;
        string? authorization = null;
        if (writ is null)
        {
            errors.Add("writ: required (issuer, trustDomain and credentials for the revocation stream)");
        }
        else
        {
            issuer = HttpUrl(writ.Issuer, "writ.issuer", errors, required: true);
            if (string.IsNullOrWhiteSpace(writ.TrustDomain))
            {
                errors.Add("writ.trustDomain: required, e.g. \"acme.test\"");
            }
            else if (!TrustDomain.TryParse(writ.TrustDomain, out trustDomain, out var problem))
            {
                errors.Add($"writ.trustDomain: {problem}");
            }

            jwks = HttpUrl(writ.JwksUri, "writ.jwksUri", errors, required: false) ?? (issuer is null ? null : Under(issuer, ".well-known/jwks.json"));
            revocations = HttpUrl(writ.RevocationsUri, "writ.revocationsUri", errors, required: false) ?? (issuer is null ? null : Under(issuer, "revocations/v1/events"));
            tokenEndpoint = HttpUrl(writ.TokenEndpoint, "writ.tokenEndpoint", errors, required: false) ?? (issuer is null ? null : Under(issuer, "oauth2/token"));
            authorization = StreamAuthorization(writ, baseDirectory, errors);
        }

        if (string.IsNullOrWhiteSpace(config.Audience))
        {
            errors.Add("audience: required: the audience task tokens must name to be accepted here (agents ask Writ for it when they start a task)");
        }

        var urls = config.Urls is { Count: > 0 } ? config.Urls : ["http://127.0.0.1:7700"];
        for (var i = 0; i < urls.Count; i++)
        {
            if (!Uri.TryCreate(urls[i], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"urls[{i}]: '{urls[i]}' is not an http(s) URL");
            }
        }

        if (config.PublicUrl is not null)
        {
            HttpUrl(config.PublicUrl, "publicUrl", errors, required: true);
        }

        var storage = Storage(config.Storage, baseDirectory, errors);
        var maxBody = config.Limits?.MaxBodyBytes ?? DefaultMaxBodyBytes;
        if (maxBody is < 1024 or > 256L * 1024 * 1024)
        {
            errors.Add("limits.maxBodyBytes: must be between 1024 and 268435456");
        }

        var timeout = config.Limits?.UpstreamTimeoutSeconds ?? DefaultUpstreamTimeoutSeconds;
        if (double.IsNaN(timeout) || timeout is <= 0 or > 3600)
        {
            errors.Add("limits.upstreamTimeoutSeconds: must be more than 0 and at most 3600");
        }

        var streamIdle = config.Limits?.StreamIdleTimeoutSeconds ?? DefaultStreamIdleTimeoutSeconds;
        if (!IsStreamIdleTimeout(streamIdle))
        {
            errors.Add("limits.streamIdleTimeoutSeconds: must be more than 0 and at most 86400");
        }

        var routes = new List<GatewayRoute>();
        if (config.Routes is not { Count: > 0 })
        {
            errors.Add("routes: at least one route is required");
        }
        else
        {
            var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < config.Routes.Count; i++)
            {
                if (Route(config.Routes[i], $"routes[{i}]", errors) is { } route)
                {
                    if (!paths.Add(route.Path))
                    {
                        errors.Add($"routes[{i}].path: '{route.Path}' is used by another route");
                    }

                    routes.Add(route);
                }
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new GatewaySettings(
            issuer!, trustDomain!, jwks!, revocations!, tokenEndpoint!, authorization!, config.Audience!, urls, config.PublicUrl?.TrimEnd('/'), storage!,
            maxBody, TimeSpan.FromSeconds(timeout), routes)
        {
            StreamIdleTimeout = TimeSpan.FromSeconds(streamIdle),
        };
    }

    private static string? StreamAuthorization(WritConfig writ, string baseDirectory, List<string> errors)
    {
        var token = writ.Token;
        if (writ.TokenFile is { } file)
        {
            try
            {
                token = File.ReadAllText(Path.Combine(baseDirectory, file)).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                errors.Add($"writ.tokenFile: cannot read '{file}': {ex.Message}");
                return null;
            }
        }

        if (!string.IsNullOrEmpty(token))
        {
            return "Bearer " + token;
        }

        if (!string.IsNullOrEmpty(writ.ClientId) && !string.IsNullOrEmpty(writ.ClientSecret))
        {
            return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(writ.ClientId) + ":" + Uri.EscapeDataString(writ.ClientSecret)));
        }

        errors.Add("writ: credentials for the revocation stream are required: token or tokenFile (an unscoped admin token), or clientId and clientSecret");
        return null;
    }

    private static StorageSettings? Storage(StorageConfig? storage, string baseDirectory, List<string> errors)
    {
        if (storage is null)
        {
            errors.Add("storage: required: the store Writ uses (provider sqlite with dataDirectory, or postgres with connectionString)");
            return null;
        }

        var rootKeyFile = storage.RootKeyFile is null ? null : Path.Combine(baseDirectory, storage.RootKeyFile);
        switch (storage.Provider?.ToUpperInvariant())
        {
            case null or "" or "SQLITE":
                if (string.IsNullOrWhiteSpace(storage.DataDirectory))
                {
                    errors.Add("storage.dataDirectory: required for sqlite: Writ's data directory");
                    return null;
                }

                var data = Path.Combine(baseDirectory, storage.DataDirectory);
                if (!Directory.Exists(data))
                {
                    errors.Add($"storage.dataDirectory: '{data}' does not exist (start Writ first, or fix the path)");
                    return null;
                }

                return new StorageSettings(false, data, null, rootKeyFile);
            case "POSTGRES" or "POSTGRESQL":
                if (string.IsNullOrWhiteSpace(storage.ConnectionString))
                {
                    errors.Add("storage.connectionString: required for postgres, e.g. Host=db;Database=writ;Username=writ");
                    return null;
                }

                return new StorageSettings(true, null, storage.ConnectionString, rootKeyFile);
            default:
                errors.Add($"storage.provider: '{storage.Provider}' is not a storage provider (sqlite or postgres)");
                return null;
        }
    }

    private static GatewayRoute? Route(RouteConfig route, string at, List<string> errors)
    {
        var count = errors.Count;
        if (string.IsNullOrEmpty(route.Path) || !PathPattern().IsMatch(route.Path) || route.Path.StartsWith("/.well-known", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{at}.path: must start with '/' and hold only letters, digits and - _ . / (not /.well-known), e.g. /mcp/github");
        }

        var kind = route.Kind?.ToUpperInvariant() switch
        {
            "MCP" => UpstreamKind.Mcp,
            "STDIO" => UpstreamKind.Stdio,
            "HTTP" => UpstreamKind.Http,
            _ => (UpstreamKind?)null,
        };
        if (kind is null)
        {
            errors.Add($"{at}.kind: must be mcp (Streamable HTTP), stdio or http");
        }

        Uri? url = null;
        if (kind is UpstreamKind.Mcp or UpstreamKind.Http)
        {
            url = HttpUrl(route.Url, at + ".url", errors, required: true);
        }
        else if (kind is UpstreamKind.Stdio)
        {
            if (string.IsNullOrWhiteSpace(route.Command))
            {
                errors.Add($"{at}.command: required for stdio: the MCP server's executable");
            }

            if (route.Url is not null)
            {
                errors.Add($"{at}.url: not used by stdio routes (use command and args)");
            }
        }

        if (string.IsNullOrEmpty(route.Toolset) || !ToolsetPattern().IsMatch(route.Toolset))
        {
            errors.Add($"{at}.toolset: required: letters, digits, - and _ (MCP tool x is decided as <toolset>.x)");
        }

        var credential = CredentialKind.None;
        switch (route.Credential?.Kind?.ToUpperInvariant())
        {
            case null or "NONE":
                break;
            case "CONNECTION":
                credential = CredentialKind.Connection;
                if (string.IsNullOrEmpty(route.Credential.Connection))
                {
                    errors.Add($"{at}.credential.connection: required: the name of the connection whose secret is injected");
                }

                break;
            case "TOKEN-EXCHANGE":
                credential = CredentialKind.TokenExchange;
                if (!Uri.TryCreate(route.Credential.Resource, UriKind.Absolute, out _))
                {
                    errors.Add($"{at}.credential.resource: required: the absolute URI of the resource server the downstream token is for");
                }

                break;
            default:
                errors.Add($"{at}.credential.kind: '{route.Credential.Kind}' must be none, connection or token-exchange");
                break;
        }

        var target = route.Target is null ? null : Target(route.Target, at + ".target", errors);
        var toolTargets = new Dictionary<string, TargetRule>(StringComparer.Ordinal);
        foreach (var (tool, rule) in route.Tools ?? [])
        {
            if (Target(rule, $"{at}.tools.{tool}", errors) is { } parsed)
            {
                toolTargets[tool] = parsed;
            }
        }

        var operations = new List<HttpOperation>();
        if (kind == UpstreamKind.Http)
        {
            if (route.Operations is not { Count: > 0 })
            {
                errors.Add($"{at}.operations: an http route names at least one operation (method, path, tool)");
            }

            for (var i = 0; i < (route.Operations?.Count ?? 0); i++)
            {
                var op = route.Operations![i];
                var opAt = $"{at}.operations[{i}]";
                var method = op.Method?.ToUpperInvariant();
                if (method is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE" or "HEAD"))
                {
                    errors.Add($"{opAt}.method: must be GET, POST, PUT, PATCH, DELETE or HEAD");
                }

                if (string.IsNullOrEmpty(op.Path) || op.Path[0] != '/' || !OperationPathPattern().IsMatch(op.Path))
                {
                    errors.Add($"{opAt}.path: must start with '/', e.g. /invoices/{{id}}");
                }

                if (string.IsNullOrEmpty(op.Tool) || !ToolPattern().IsMatch(op.Tool))
                {
                    errors.Add($"{opAt}.tool: required, <toolset>.<tool>, e.g. billing.get_invoice");
                }

                var opTarget = op.Target is null ? target : Target(op.Target, opAt + ".target", errors);
                if (opTarget is null)
                {
                    errors.Add($"{opAt}.target: required (here or on the route): fixed, or argument with an optional prefix");
                }

                if (errors.Count == count)
                {
                    operations.Add(new HttpOperation(method!, op.Path!.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries), op.Tool!, opTarget!));
                }
            }
        }
        else if (route.Operations is not null)
        {
            errors.Add($"{at}.operations: only http routes have operations");
        }

        if (kind != UpstreamKind.Http && target is null && toolTargets.Count == 0)
        {
            errors.Add($"{at}.target: required: {{\"fixed\": \"db:orders\"}} or {{\"argument\": \"repository\", \"prefix\": \"repo:\"}}");
        }

        if (kind == UpstreamKind.Stdio && credential != CredentialKind.None)
        {
            errors.Add($"{at}.credential: a stdio server has no HTTP request to carry a credential; use none (give the process its own configuration)");
        }

        if (route.StreamIdleTimeoutSeconds is { } idle && (kind != UpstreamKind.Mcp || !IsStreamIdleTimeout(idle)))
        {
            errors.Add($"{at}.streamIdleTimeoutSeconds: " + (kind == UpstreamKind.Mcp ? "must be more than 0 and at most 86400" : "only mcp routes forward event streams"));
        }

        if (errors.Count > count)
        {
            return null;
        }

        return new GatewayRoute(
            route.Path!.TrimEnd('/'), kind!.Value, url, route.Command, route.Args ?? [], route.Toolset!, credential,
            route.Credential?.Connection, route.Credential?.Resource, target, toolTargets, operations)
        {
            StreamIdleTimeout = route.StreamIdleTimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
    }

    private static bool IsStreamIdleTimeout(double seconds) => !double.IsNaN(seconds) && seconds is > 0 and <= MaxStreamIdleTimeoutSeconds;

    private static TargetRule? Target(TargetConfig rule, string at, List<string> errors)
    {
        if ((rule.Fixed is null) == (rule.Argument is null))
        {
            errors.Add($"{at}: give exactly one of fixed (a target such as db:orders) or argument (with an optional prefix such as repo:)");
            return null;
        }

        if (rule.Fixed is not null && !Writ.Core.Tasks.TaskIntentParser.IsTarget(rule.Fixed))
        {
            errors.Add($"{at}.fixed: '{rule.Fixed}' is not a target (no spaces or control characters, e.g. db:orders)");
            return null;
        }

        if (rule.Argument is { Length: 0 })
        {
            errors.Add($"{at}.argument: must not be empty");
            return null;
        }

        return new TargetRule(rule.Fixed, rule.Argument, rule.Prefix ?? string.Empty);
    }

    private static Uri? HttpUrl(string? text, string at, List<string> errors, bool required)
    {
        if (text is null)
        {
            if (required)
            {
                errors.Add($"{at}: required");
            }

            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add($"{at}: '{text}' is not an http(s) URL");
            return null;
        }

        return uri;
    }

    private static Uri Under(Uri issuer, string path) => new(issuer.AbsoluteUri.TrimEnd('/') + "/" + path);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    [GeneratedRegex("^(/[A-Za-z0-9._-]+)+/?$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    [GeneratedRegex("^/[A-Za-z0-9._~{}/-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex OperationPathPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolsetPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}\\.[A-Za-z0-9._/-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolPattern();
}
