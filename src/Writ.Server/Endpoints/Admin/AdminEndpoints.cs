using System.Text.Json;
using Writ.Core.Admin;
using Writ.Core.Domain;
using Writ.Server.Configuration;
using Writ.Server.Http;
using Writ.Server.Telemetry;

namespace Writ.Server.Endpoints.Admin;

/// <summary>The JSON admin API under <c>/admin/v1</c>; see docs/reference/admin-api.md.</summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app)
    {
        var admin = app.MapGroup("/admin/v1").RequireAdminToken();

        admin.MapPost("/owners", async (HttpContext http, OwnerAdmin owners, WritSettings settings) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<OwnerBody>(http.Request, settings.MaxJsonBytes);
            return error ?? Created("owner", await owners.AddAsync(http.Caller(), body!.Name, body.DisplayName, body.Email, http.RequestAborted), AdminViews.Owner);
        });
        admin.MapGet("/owners", async (HttpContext http, OwnerAdmin owners) =>
            Results.Json(AdminViews.List(await owners.ListAsync(http.Caller(), http.RequestAborted), AdminViews.Owner), JsonRequest.Options));
        admin.MapGet("/owners/{name}", async (string name, HttpContext http, OwnerAdmin owners) =>
            Ok(await owners.GetAsync(http.Caller(), name, http.RequestAborted), AdminViews.Owner));

        admin.MapPost("/agents", async (HttpContext http, AgentAdmin agents, WritSettings settings) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<RegisterAgentRequest>(http.Request, settings.MaxJsonBytes);
            return error ?? Created("agent", await agents.RegisterAsync(http.Caller(), body!, http.RequestAborted), AdminViews.Agent);
        });
        admin.MapGet("/agents", async (HttpContext http, AgentAdmin agents) =>
        {
            var owners = http.Request.Query["owner"];
            if (owners.Count > 1)
            {
                return Problems.Invalid("invalid_owner", "give 'owner' at most once");
            }

            var result = await agents.ListAsync(http.Caller(), owners.Count == 1 ? owners[0] : null, http.RequestAborted);
            return result.Succeeded ? Results.Json(AdminViews.List(result.Value!, AdminViews.Agent), JsonRequest.Options) : Problems.From(result.Error!);
        });
        admin.MapGet("/agents/{name}", async (string name, HttpContext http, AgentAdmin agents) =>
            Ok(await agents.GetAsync(http.Caller(), name, http.RequestAborted), AdminViews.Agent));
        admin.MapPost("/agents/{name}/suspend", (string name, HttpContext http, AgentAdmin agents) => SetStatus(name, AgentStatus.Suspended, http, agents));
        admin.MapPost("/agents/{name}/resume", (string name, HttpContext http, AgentAdmin agents) => SetStatus(name, AgentStatus.Active, http, agents));
        admin.MapPost("/agents/{name}/retire", (string name, HttpContext http, AgentAdmin agents) => SetStatus(name, AgentStatus.Retired, http, agents));
        admin.MapPost("/agents/{name}/keys", async (string name, HttpContext http, AgentAdmin agents, WritSettings settings) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<AgentKeyBody>(http.Request, settings.MaxJsonBytes);
            return error ?? Created("agent_key", await agents.AddKeyAsync(http.Caller(), name, body!.Jwk, http.RequestAborted), AdminViews.Agent);
        });

        admin.MapDelete("/agents/{name}/keys/{kid}", async (string name, string kid, HttpContext http, AgentAdmin agents) =>
        {
            var result = await agents.RemoveKeyAsync(http.Caller(), name, kid, http.RequestAborted);
            Count("agent_key", result.Error);
            return Ok(result, AdminViews.Agent);
        });

        admin.MapPost("/join-tokens", async (HttpContext http, JoinTokenAdmin joinTokens, WritSettings settings) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<JoinTokenBody>(http.Request, settings.MaxJsonBytes);
            if (error is not null)
            {
                return error;
            }

            if (!TryDurationText(body!.Ttl, out var ttl))
            {
                return Problems.Invalid("invalid_ttl", "'ttl' must be an ISO 8601 duration string (PT10M) or a whole number of seconds");
            }

            return Created(
                "join_token",
                await joinTokens.CreateAsync(http.Caller(), body.Agent, ttl, http.RequestAborted),
                created => new { id = created.Record.Id, agent = created.Record.Agent, token = created.Token, expiresAt = created.Record.ExpiresAt, createdBy = created.Record.CreatedBy });
        });

        admin.MapPost("/issuers", async (HttpContext http, IssuerAdmin issuers, WritSettings settings) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<IssuerBody>(http.Request, settings.MaxJsonBytes);
            if (error is not null)
            {
                return error;
            }

            if (body!.Jwks is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null })
            {
                return Problems.Invalid("invalid_jwks", "'jwks' must be a JWKS object ({\"keys\":[...]})");
            }

            var jwks = body.Jwks is { ValueKind: JsonValueKind.Object } value ? value.GetRawText() : null;
            var request = new AddIssuerRequest(body.Name, body.Issuer, body.JwksUri, jwks, body.Audience, body.Rules);
            return Created("issuer", await issuers.AddAsync(http.Caller(), request, http.RequestAborted), AdminViews.Issuer);
        });
        admin.MapGet("/issuers", async (HttpContext http, IssuerAdmin issuers) =>
        {
            var result = await issuers.ListAsync(http.Caller(), http.RequestAborted);
            return result.Succeeded ? Results.Json(AdminViews.List(result.Value!, AdminViews.Issuer), JsonRequest.Options) : Problems.From(result.Error!);
        });
        admin.MapDelete("/issuers/{name}", async (string name, HttpContext http, IssuerAdmin issuers) =>
            NoContent("issuer", await issuers.RemoveAsync(http.Caller(), name, http.RequestAborted)));

        admin.MapPost("/clients", async (HttpContext http, ClientAdmin clients, WritSettings settings) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<ClientBody>(http.Request, settings.MaxJsonBytes);
            if (error is not null)
            {
                return error;
            }

            if (body!.Jwks is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null })
            {
                return Problems.Invalid("invalid_jwks", "'jwks' must be a JWKS object ({\"keys\":[...]})");
            }

            var jwks = body.Jwks is { ValueKind: JsonValueKind.Object } value ? value.GetRawText() : null;
            return Created("client", await clients.AddAsync(http.Caller(), body.Name, body.Owner, body.AuthMethod, jwks, http.RequestAborted), c => AdminViews.Client(c.Client, c.Secret));
        });
        admin.MapGet("/clients", async (HttpContext http, ClientAdmin clients) =>
        {
            var result = await clients.ListAsync(http.Caller(), http.RequestAborted);
            return result.Succeeded ? Results.Json(AdminViews.List(result.Value!, c => AdminViews.Client(c)), JsonRequest.Options) : Problems.From(result.Error!);
        });
        admin.MapDelete("/clients/{name}", async (string name, HttpContext http, ClientAdmin clients) =>
            NoContent("client", await clients.RemoveAsync(http.Caller(), name, http.RequestAborted)));

        admin.MapPost("/admin-tokens", async (HttpContext http, AdminTokenAdmin tokens, WritSettings settings) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<AdminTokenBody>(http.Request, settings.MaxJsonBytes);
            return error ?? Created("admin_token", await tokens.CreateAsync(http.Caller(), body!.Name, body.Owner, http.RequestAborted), t => AdminViews.AdminToken(t.Record, t.Token));
        });
        admin.MapGet("/admin-tokens", async (HttpContext http, AdminTokenAdmin tokens) =>
        {
            var result = await tokens.ListAsync(http.Caller(), http.RequestAborted);
            return result.Succeeded ? Results.Json(AdminViews.List(result.Value!, t => AdminViews.AdminToken(t)), JsonRequest.Options) : Problems.From(result.Error!);
        });
        admin.MapDelete("/admin-tokens/{name}", async (string name, HttpContext http, AdminTokenAdmin tokens) =>
            NoContent("admin_token", await tokens.RevokeAsync(http.Caller(), name, http.RequestAborted)));

        admin.MapGet("/changes", async (HttpContext http, ChangeLogAdmin changes) =>
        {
            var limitText = http.Request.Query["limit"];
            var limit = 100;
            if (limitText.Count > 1 || (limitText.Count == 1 && !int.TryParse(limitText[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit)))
            {
                return Problems.Invalid("invalid_limit", $"'limit' must be one whole number from 1 to {ChangeLogAdmin.MaxLimit}");
            }

            var result = await changes.ListAsync(http.Caller(), limit, http.RequestAborted);
            return result.Succeeded ? Results.Json(AdminViews.List(result.Value!, AdminViews.Change), JsonRequest.Options) : Problems.From(result.Error!);
        });

        // Unknown admin paths still require a token, so anonymous callers learn nothing about the API surface.
        admin.MapFallback(() => Problems.NotFound("no such admin API resource; see docs/reference/admin-api.md"));

        admin.MapGet("/keys", async (HttpContext http, SigningKeyAdmin keys) =>
        {
            var result = await keys.ListAsync(http.Caller(), http.RequestAborted);
            return result.Succeeded ? Results.Json(AdminViews.List(result.Value!, AdminViews.Key), JsonRequest.Options) : Problems.From(result.Error!);
        });
        admin.MapPost("/keys/rotate", async (HttpContext http, SigningKeyAdmin keys) =>
            Created("key", await keys.RotateAsync(http.Caller(), http.RequestAborted), AdminViews.Key));
    }

    private static async Task<IResult> SetStatus(string name, AgentStatus status, HttpContext http, AgentAdmin agents)
    {
        var result = await agents.SetStatusAsync(http.Caller(), name, status, http.RequestAborted);
        Count("agent", result.Error);
        return Ok(result, AdminViews.Agent);
    }

    private static IResult Ok<T>(AdminResult<T> result, Func<T, object> view)
        where T : class =>
        result.Succeeded ? Results.Json(view(result.Value!), JsonRequest.Options) : Problems.From(result.Error!);

    private static IResult Created<T>(string resource, AdminResult<T> result, Func<T, object> view)
        where T : class
    {
        Count(resource, result.Error);
        return result.Succeeded ? Results.Json(view(result.Value!), JsonRequest.Options, statusCode: StatusCodes.Status201Created) : Problems.From(result.Error!);
    }

    private static IResult NoContent(string resource, AdminError? error)
    {
        Count(resource, error);
        return error is null ? Results.NoContent() : Problems.From(error);
    }

    private static void Count(string resource, AdminError? error) =>
        WritTelemetry.AdminChanges.Add(1, new KeyValuePair<string, object?>("resource", resource), new KeyValuePair<string, object?>("outcome", error?.Code ?? "ok"));

    private static bool TryDurationText(JsonElement? value, out string? text)
    {
        text = null;
        switch (value)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return true;
            case { ValueKind: JsonValueKind.String } s:
                text = s.GetString();
                return true;
            case { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var seconds):
                text = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return true;
            default:
                return false;
        }
    }
}
