using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ connection add|list|show|remove|rotate-secret`: upstream credential sources. Secrets go in on
// standard input or from a file, never as an argument, and no command ever prints one.
internal static class ConnectionCommands
{
    private const string Noun = "connection";

    private static readonly string[] Kinds = ["static_secret", "oauth_client_credentials", "postgres_admin"];

    private static readonly Column[] Columns =
    [
        Column.Of("NAME", "name"),
        Column.Of("OWNER", "owner"),
        Column.Of("KIND", "kind"),
        new("TARGET", Target),
        Column.Of("KEK", "kekId"),
        Column.Time("ROTATED", "rotatedAt"),
        Column.Time("CREATED", "createdAt"),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Connections: upstream credential sources (API keys, OAuth clients, PostgreSQL admin logins) whose secrets Writ keeps encrypted.",
            "printf %s \"$WEATHER_KEY\" | writ connection add weather-api --owner alice --kind static_secret --header-name Authorization --scheme Bearer --secret-stdin",
            "writ connection add orders-db --owner alice --kind postgres_admin --host db.internal --database orders --admin-user writ_admin --grant public:orders,customers:SELECT --secret-file admin.pw",
            "writ connection list");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(Add(runner));
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Show(runner));
        noun.Subcommands.Add(Remove(runner));
        noun.Subcommands.Add(RotateSecret(runner));
        return noun;
    }

    private static WritCommand Add(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Unique name of the connection" };
        var owner = new Option<string>("--owner") { Description = "Owner accountable for the connection", Required = true };
        var kind = new Option<string>("--kind") { Description = "What kind of source it is", Required = true, HelpName = "kind" };
        kind.AcceptOnlyFromAmong(Kinds);
        var secret = new ConnectionSecretInput();
        var headerName = new Option<string?>("--header-name") { Description = "static_secret: the header the secret is injected into", HelpName = "header" };
        var scheme = new Option<string?>("--scheme") { Description = "static_secret: scheme before the secret, e.g. Bearer", HelpName = "scheme" };
        var tokenEndpoint = new Option<string?>("--token-endpoint") { Description = "oauth_client_credentials: the upstream token endpoint", HelpName = "url" };
        var clientId = new Option<string?>("--client-id") { Description = "oauth_client_credentials: the client id", HelpName = "id" };
        var scopes = new Option<string[]>("--scope") { Description = "oauth_client_credentials: a scope to request (repeatable, or several separated by spaces)", HelpName = "scope", AllowMultipleArgumentsPerToken = false };
        var audience = new Option<string?>("--audience") { Description = "oauth_client_credentials: the audience parameter sent with each token request, when the upstream wants one", HelpName = "audience" };
        var authMethod = new Option<string?>("--auth-method") { Description = "oauth_client_credentials: client_secret_basic (default) or client_secret_post", HelpName = "method" };
        authMethod.CompletionSources.Add("client_secret_basic", "client_secret_post");
        var host = new Option<string?>("--host") { Description = "postgres_admin: server host", HelpName = "host" };
        var port = new Option<int?>("--port") { Description = "postgres_admin: server port (default 5432)", HelpName = "port", CustomParser = WholeNumbers.OptionalInt("a port", "1 to 65535, e.g. 5432") };
        var database = new Option<string?>("--database") { Description = "postgres_admin: database the dynamic roles are for", HelpName = "name" };
        var adminUser = new Option<string?>("--admin-user") { Description = "postgres_admin: login that creates and drops roles", HelpName = "user" };
        var grants = new Option<string[]>("--grant") { Description = "postgres_admin: schema:tables:privileges, e.g. public:orders,customers:SELECT or public:*:SELECT,INSERT (repeatable)", HelpName = "grant" };
        var maxLease = new Option<string?>("--max-lease-duration") { Description = "Longest lease from this connection, e.g. PT30M (default PT1H, at most P1D)", HelpName = "duration" };
        var metadata = new Option<string[]>("--metadata") { Description = "A key=value label (repeatable)", HelpName = "key=value" };
        var verb = new WritCommand("add", "Add a connection; its secret is read from standard input or a file and never shown again.",
            "printf %s \"$WEATHER_KEY\" | writ connection add weather-api --owner alice --kind static_secret --header-name X-Api-Key --secret-stdin",
            "writ connection add github --owner alice --kind oauth_client_credentials --token-endpoint https://auth.example.com/token --client-id writ --scope repo:read --secret-file github.secret",
            "writ connection add billing-api --owner alice --kind oauth_client_credentials --token-endpoint https://login.example.com/oauth/token --client-id writ --audience https://billing.example.com --scope \"invoices:read invoices:write\" --secret-stdin",
            "writ connection add orders-db --owner alice --kind postgres_admin --host db.internal --database orders --admin-user writ_admin --grant public:orders:SELECT --max-lease-duration PT30M --secret-stdin")
        {
            name, owner, kind, headerName, scheme, tokenEndpoint, clientId, scopes, audience, authMethod, host, port, database, adminUser, grants, maxLease, metadata,
        };
        secret.AddTo(verb);
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            OAuthConnectionInput.RequireKind(call.Get(kind)!, [
                ("--token-endpoint", call.Get(tokenEndpoint) is not null),
                ("--client-id", call.Get(clientId) is not null),
                ("--scope", call.Get(scopes) is { Length: > 0 }),
                ("--audience", call.Get(audience) is not null),
                ("--auth-method", call.Get(authMethod) is not null),
            ]);
            var scopeList = OAuthConnectionInput.Scopes(call.Get(scopes) ?? []);
            var audienceValue = OAuthConnectionInput.Audience(call.Get(audience));
            var value = secret.Read(call) ?? throw new CliException("give the secret with --secret-stdin (e.g. `printf %s \"$SECRET\" | writ connection add ...`) or --secret-file <file>; it is never taken as an argument.", ExitCodes.Usage);
            var body = new JsonObject { ["name"] = call.Get(name), ["owner"] = call.Get(owner), ["kind"] = call.Get(kind), ["secret"] = value };
            Set(body, "headerName", call.Get(headerName));
            Set(body, "scheme", call.Get(scheme));
            Set(body, "tokenEndpoint", call.Get(tokenEndpoint));
            Set(body, "clientId", call.Get(clientId));
            Set(body, "authMethod", call.Get(authMethod));
            Set(body, "audience", audienceValue);
            Set(body, "host", call.Get(host));
            Set(body, "database", call.Get(database));
            Set(body, "adminUser", call.Get(adminUser));
            Set(body, "maxLeaseDuration", call.Get(maxLease));
            if (call.Get(port) is { } p)
            {
                body["port"] = p;
            }

            if (scopeList.Length > 0)
            {
                body["scopes"] = new JsonArray([.. scopeList.Select(s => (JsonNode)s)]);
            }

            if (call.Get(grants) is { Length: > 0 } grantList)
            {
                body["grants"] = new JsonArray([.. grantList.Select(ParseGrant)]);
            }

            if (call.Get(metadata) is { Length: > 0 } labels)
            {
                var map = new JsonObject();
                foreach (var label in labels)
                {
                    var eq = label.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new CliException($"--metadata {label} must be key=value.", ExitCodes.Usage);
                    }

                    map[label[..eq]] = label[(eq + 1)..];
                }

                body["metadata"] = map;
            }

            var created = await call.Api.PostAsync("connections", body, ct);
            call.Show(created, c =>
            {
                call.Output.WriteLine($"Connection {Cells.Text(c["name"])} added ({Cells.Text(c["kind"])}, owner {Cells.Text(c["owner"])}).");
                call.Output.WriteLine($"Its secret is encrypted under KEK {Cells.Text(c["kekId"])} and will not be shown again.");
            });
        });
        return verb;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var verb = new WritCommand("list", "List connections (an owner-scoped admin token sees its owner's).", "writ connection list", "writ connection list --json");
        runner.SetAction(verb, Noun, async (call, ct) =>
            call.ShowList(await call.Api.GetAsync("connections", ct), Columns, "No connections. Add one with `writ connection add <name> --owner <owner> --kind <kind> --secret-stdin`."));
        return verb;
    }

    private static WritCommand Show(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the connection" };
        var verb = new WritCommand("show", "Show one connection (never its secret).", "writ connection show orders-db") { name };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var connection = await call.Api.GetAsync("connections/" + AdminApiClient.Segment(call.Get(name)), ct);
            call.Show(connection, c => call.Output.WriteDetails(
            [
                ("Name", Cells.Text(c["name"])),
                ("Id", Cells.Text(c["id"])),
                ("Owner", Cells.Text(c["owner"])),
                ("Kind", Cells.Text(c["kind"])),
                ("Target", Target(c)),
                ("Scopes", c["scopes"] is JsonArray s ? string.Join(' ', s.Select(Cells.Text)) : Cells.Missing),
                ("Audience", Cells.Text(c["audience"])),
                ("Grants", c["grants"] is JsonArray g ? string.Join("; ", g.OfType<JsonObject>().Select(GrantText)) : Cells.Missing),
                ("Max lease", c["maxLeaseSeconds"] is { } m ? Cells.Text(m) + " s" : Cells.Missing),
                ("Secret", c["hasSecret"] is JsonValue v && v.TryGetValue<bool>(out var has) && has ? "set (encrypted)" : "none"),
                ("KEK", Cells.Text(c["kekId"])),
                ("Rotated", Cells.Time(c["rotatedAt"])),
                ("Created", Cells.Time(c["createdAt"])),
            ]));
        });
        return verb;
    }

    private static WritCommand Remove(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the connection" };
        var verb = new WritCommand("remove", "Remove a connection; every lease drawn from it ends first.", "writ connection remove orders-db") { name };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var removed = await call.Api.DeleteAsync("connections/" + AdminApiClient.Segment(call.Get(name)), ct);
            call.Show(removed, r =>
            {
                var ended = r["endedLeases"] as JsonArray ?? [];
                call.Output.WriteLine($"Connection {Cells.Text(r["removed"]?["name"])} removed; {ended.Count} lease(s) ended.");
                foreach (var lease in ended.OfType<JsonObject>())
                {
                    call.Output.WriteLine($"  {Cells.Text(lease["id"])}  {Cells.Text(lease["kind"])}  {Cells.Text(lease["state"])}");
                }
            });
        });
        return verb;
    }

    private static WritCommand RotateSecret(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the connection" };
        var secret = new ConnectionSecretInput();
        var verb = new WritCommand("rotate-secret", "Replace the secret (from standard input or a file), or without one re-encrypt the current secret under the current KEK.",
            "printf %s \"$NEW_KEY\" | writ connection rotate-secret weather-api --secret-stdin",
            "writ connection rotate-secret weather-api")
        {
            name,
        };
        secret.AddTo(verb);
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var value = secret.Read(call);
            var rotated = await call.Api.PostAsync(
                "connections/" + AdminApiClient.Segment(call.Get(name)) + "/rotate-secret",
                value is null ? null : new JsonObject { ["secret"] = value },
                ct);
            call.Show(rotated, c => call.Output.WriteLine(value is null
                ? $"Secret of {Cells.Text(c["name"])} re-encrypted under KEK {Cells.Text(c["kekId"])}."
                : $"Secret of {Cells.Text(c["name"])} replaced (KEK {Cells.Text(c["kekId"])})."));
        });
        return verb;
    }

    private static JsonNode ParseGrant(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new CliException($"--grant {text} must be schema:tables:privileges, e.g. public:orders,customers:SELECT or public:*:SELECT,INSERT.", ExitCodes.Usage);
        }

        return new JsonObject
        {
            ["schema"] = parts[0],
            ["tables"] = new JsonArray([.. parts[1].Split(',').Select(t => (JsonNode)t.Trim())]),
            ["privileges"] = new JsonArray([.. parts[2].Split(',').Select(p => (JsonNode)p.Trim().ToUpperInvariant())]),
        };
    }

    private static string GrantText(JsonObject grant) =>
        $"{Cells.Text(grant["schema"])}:{string.Join(',', (grant["tables"] as JsonArray ?? []).Select(Cells.Text))}:{string.Join(',', (grant["privileges"] as JsonArray ?? []).Select(Cells.Text))}";

    private static string Target(JsonObject c) => Cells.Text(c["kind"]) switch
    {
        "static_secret" => "header " + Cells.Text(c["headerName"]),
        "oauth_client_credentials" => Cells.Text(c["tokenEndpoint"]),
        "postgres_admin" => $"{Cells.Text(c["adminUser"])}@{Cells.Text(c["host"])}:{Cells.Text(c["port"])}/{Cells.Text(c["database"])}",
        _ => Cells.Missing,
    };

    private static void Set(JsonObject body, string field, string? value)
    {
        if (value is not null)
        {
            body[field] = value;
        }
    }
}
