using System.Globalization;
using System.Text.Json;
using Writ.Core.Admin;
using Writ.Core.Connections;
using Writ.Server.Configuration;
using Writ.Server.Endpoints.Admin;
using Writ.Server.Endpoints.Leases;
using Writ.Server.Http;
using Writ.Server.Telemetry;

namespace Writ.Server.Endpoints.Connections;

/// <summary>The connections admin API under <c>/admin/v1/connections</c>; see docs/guides/connections.md.</summary>
internal static class ConnectionEndpoints
{
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/admin/v1/connections").RequireAdminToken();

        group.MapPost("/", async (HttpContext http, ConnectionAdmin connections, WritSettings settings) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<ConnectionBody>(http.Request, settings.MaxJsonBytes);
            if (error is not null)
            {
                return error;
            }

            if (!TryDurationText(body!.MaxLeaseDuration, out var maxLease))
            {
                return Problems.Invalid("invalid_max_lease_duration", "'maxLeaseDuration' must be an ISO 8601 duration string (PT1H) or a whole number of seconds");
            }

            var request = new AddConnectionRequest
            {
                Name = body.Name,
                Owner = body.Owner,
                Kind = body.Kind,
                Secret = body.Secret,
                HeaderName = body.HeaderName,
                Scheme = body.Scheme,
                TokenEndpoint = body.TokenEndpoint,
                ClientId = body.ClientId,
                Scopes = body.Scopes,
                AuthMethod = body.AuthMethod,
                Audience = body.Audience,
                Host = body.Host,
                Port = body.Port,
                Database = body.Database,
                AdminUser = body.AdminUser,
                Grants = body.Grants,
                MaxLeaseDuration = maxLease,
                Metadata = body.Metadata,
            };
            var result = await connections.AddAsync(http.Caller(), request, http.RequestAborted);
            Count(result.Error);
            return result.Succeeded
                ? Results.Json(ConnectionViews.Connection(result.Value!), JsonRequest.Options, statusCode: StatusCodes.Status201Created)
                : Problems.From(result.Error!);
        });

        group.MapGet("/", async (HttpContext http, ConnectionAdmin connections) =>
            Results.Json(new { items = (await connections.ListAsync(http.Caller(), http.RequestAborted)).Select(ConnectionViews.Connection) }, JsonRequest.Options));

        group.MapGet("/{name}", async (string name, HttpContext http, ConnectionAdmin connections) =>
        {
            var result = await connections.GetAsync(http.Caller(), name, http.RequestAborted);
            return result.Succeeded ? Results.Json(ConnectionViews.Connection(result.Value!), JsonRequest.Options) : Problems.From(result.Error!);
        });

        group.MapDelete("/{name}", async (string name, HttpContext http, ConnectionAdmin connections) =>
        {
            var result = await connections.RemoveAsync(http.Caller(), name, http.RequestAborted);
            Count(result.Error);
            return result.Succeeded
                ? Results.Json(new { removed = ConnectionViews.Connection(result.Value!.Connection), endedLeases = result.Value.EndedLeases.Select(LeaseViews.Lease) }, JsonRequest.Options)
                : Problems.From(result.Error!);
        });

        group.MapPost("/{name}/rotate-secret", async (string name, HttpContext http, ConnectionAdmin connections, WritSettings settings) =>
        {
            string? secret = null;
            if (http.Request.ContentLength is not 0 && http.Request.ContentType is not null)
            {
                var (body, error) = await JsonRequest.ReadAsync<RotateSecretBody>(http.Request, settings.MaxJsonBytes);
                if (error is not null)
                {
                    return error;
                }

                secret = body!.Secret;
            }

            var result = await connections.RotateSecretAsync(http.Caller(), name, secret, http.RequestAborted);
            Count(result.Error);
            return result.Succeeded ? Results.Json(ConnectionViews.Connection(result.Value!), JsonRequest.Options) : Problems.From(result.Error!);
        });
    }

    private static void Count(AdminError? error) =>
        WritTelemetry.AdminChanges.Add(1, new KeyValuePair<string, object?>("resource", "connection"), new KeyValuePair<string, object?>("outcome", error?.Code ?? "ok"));

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
                text = seconds.ToString(CultureInfo.InvariantCulture);
                return true;
            default:
                return false;
        }
    }
}
