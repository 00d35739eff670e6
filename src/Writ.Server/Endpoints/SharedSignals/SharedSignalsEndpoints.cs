using System.Text;
using System.Text.Json;
using Writ.Core.Admin;
using Writ.Core.Keys;
using Writ.Core.Revocation;
using Writ.Core.Security;
using Writ.Core.Storage;
using Writ.Server.Configuration;
using Writ.Server.Endpoints.Revocation;
using Writ.Server.Hosting;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.SharedSignals;

/// <summary>
/// The OpenID Shared Signals Framework 1.0 transmitter: <c>/.well-known/ssf-configuration</c>, stream
/// management at <c>/ssf/streams</c> (create, read, update, replace, delete), <c>/ssf/status</c>,
/// <c>/ssf/verify</c> and RFC 8936 polling at <c>/ssf/poll/{stream_id}</c>. Receivers authenticate with an
/// unscoped admin token; see docs/reference/shared-signals.md.
/// </summary>
internal static class SharedSignalsEndpoints
{
    public const string StreamsPath = "/ssf/streams";
    public const string StatusPath = "/ssf/status";
    public const string VerifyPath = "/ssf/verify";
    public const string PollPath = "/ssf/poll/";
    private const int MaxStreams = 100;
    private const int MaxState = 1024;

    public static void Map(WebApplication app)
    {
        app.MapGet("/.well-known/ssf-configuration", (IssuerResolver issuer) => IssuerPath(issuer).Length == 0 ? Configuration(issuer) : Results.NotFound());

        // SSF 1.0 §7.2: an issuer with a path has its configuration at the well-known prefix followed by that path.
        app.MapGet("/.well-known/ssf-configuration/{**path}", (string path, IssuerResolver issuer) =>
            IssuerPath(issuer) is { Length: > 0 } issuerPath && string.Equals("/" + path.TrimEnd('/'), issuerPath, StringComparison.Ordinal)
                ? Configuration(issuer)
                : Results.NotFound());

        var ssf = app.MapGroup("/ssf").AddEndpointFilter(async (context, next) =>
        {
            // Stream configurations and SETs are for the receiver only (SSF's examples answer no-store throughout).
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            var header = context.HttpContext.Request.Headers.Authorization;
            var token = header.Count == 1 && header[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : null;
            var caller = await context.HttpContext.RequestServices.GetRequiredService<AdminAuthenticator>().AuthenticateAsync(token, context.HttpContext.RequestAborted);
            if (caller is null)
            {
                context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Unauthorized();
            }

            if (caller.IsScoped)
            {
                // Authenticated but not allowed: SSF's error tables answer 403 here, not 401.
                return Problems.From(new AdminError(AdminErrorKind.Forbidden, "forbidden", $"admin token '{caller.Name}' is scoped to an owner; stream management needs an unscoped admin token"));
            }

            context.HttpContext.Items["writ.ssf.caller"] = caller;
            return await next(context);
        });
        ssf.MapPost("/streams", CreateAsync);
        ssf.MapGet("/streams", ReadAsync);
        ssf.MapPatch("/streams", (HttpContext http, Dependencies d) => UpdateAsync(http, d, replace: false));
        ssf.MapPut("/streams", (HttpContext http, Dependencies d) => UpdateAsync(http, d, replace: true));
        ssf.MapDelete("/streams", DeleteAsync);
        ssf.MapGet("/status", GetStatusAsync);
        ssf.MapPost("/status", SetStatusAsync);
        ssf.MapPost("/verify", VerifyAsync);
        ssf.MapPost("/poll/{streamId}", PollEndpoint.PollAsync);
    }

    private static string IssuerPath(IssuerResolver issuer) =>
        Uri.TryCreate(issuer.Issuer, UriKind.Absolute, out var uri) ? uri.AbsolutePath.TrimEnd('/') : string.Empty;

    private static IResult Configuration(IssuerResolver issuer)
    {
        var baseUrl = issuer.Issuer.TrimEnd('/');
        return Results.Json(new Dictionary<string, object>
        {
            ["spec_version"] = "1_0",
            ["issuer"] = issuer.Issuer,
            ["jwks_uri"] = issuer.JwksUri,
            ["delivery_methods_supported"] = new[] { SharedSignalsEvents.Push, SharedSignalsEvents.Poll },
            ["configuration_endpoint"] = baseUrl + StreamsPath,
            ["status_endpoint"] = baseUrl + StatusPath,
            ["verification_endpoint"] = baseUrl + VerifyPath,
            ["authorization_schemes"] = new[] { new Dictionary<string, string> { ["spec_urn"] = "urn:ietf:rfc:6750" } },
            ["default_subjects"] = "ALL",
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, Dependencies d)
    {
        var (body, error) = await ReadJsonAsync(http, d.Settings);
        if (error is not null)
        {
            return error;
        }

        using var document = body;

        var (request, invalid) = StreamConfigurationReader.Read(body!.RootElement);
        if (invalid is not null)
        {
            return Problems.Invalid("invalid_stream_configuration", invalid);
        }

        if (request!.StreamId is not null)
        {
            return Problems.Invalid("invalid_stream_configuration", "'stream_id' is assigned by the transmitter; leave it out when creating a stream");
        }

        if (!request.HasDelivery)
        {
            // SSF 1.0 §8.1.1.1: a stream created without 'delivery' is a poll stream.
            request = request with { Method = SharedSignalsEvents.Poll };
        }

        if (StreamConfigurationReader.CheckDelivery(request.Method, request.EndpointUrl, request.AuthorizationHeader, d.Options.AllowLoopbackHttpPush) is { } deliveryError)
        {
            return Problems.Invalid("invalid_delivery", deliveryError);
        }

        if ((await d.Store.RevocationEvents.ListStreamsAsync(http.RequestAborted)).Count >= MaxStreams)
        {
            return Problems.From(new AdminError(AdminErrorKind.Conflict, "too_many_streams", $"at most {MaxStreams} streams; delete one first"));
        }

        var id = RandomToken.Create(16);
        var now = d.Time.GetUtcNow();
        var stream = new SignalStream(
            id,
            "urn:writ:ssf:stream:" + id,
            request.EventsRequested ?? [],
            request.Method!,
            request.Method == SharedSignalsEvents.Poll ? d.Issuer.Issuer.TrimEnd('/') + PollPath + id : request.EndpointUrl,
            Seal(d.RootKey, id, request.AuthorizationHeader),
            StreamStatus.Enabled,
            null,
            request.Description,
            ((AdminCaller)http.Items["writ.ssf.caller"]!).Name,
            now,
            now,
            // A new stream carries what happens from now on; the revocations before it are in the SSE stream.
            await d.Store.RevocationEvents.GetLatestIdAsync(http.RequestAborted));
        var added = await d.Store.RevocationEvents.AddStreamAsync(stream, http.RequestAborted);
        if (!added.Succeeded)
        {
            return Problems.From(new AdminError(AdminErrorKind.Conflict, "stream_exists", "a stream with this id exists; try again"));
        }

        return Results.Json(StreamViews.Configuration(stream, d.Issuer.Issuer), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ReadAsync(HttpContext http, Dependencies d)
    {
        if (http.Request.Query["stream_id"] is { Count: > 0 } ids)
        {
            var stream = await FindAsync(d, ids[0], http.RequestAborted);
            return stream is null ? NotFound() : Results.Json(StreamViews.Configuration(stream, d.Issuer.Issuer));
        }

        var streams = await d.Store.RevocationEvents.ListStreamsAsync(http.RequestAborted);
        return Results.Json(streams.Select(s => StreamViews.Configuration(s, d.Issuer.Issuer)).ToArray());
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, Dependencies d, bool replace)
    {
        var (body, error) = await ReadJsonAsync(http, d.Settings);
        if (error is not null)
        {
            return error;
        }

        using var document = body;

        var (request, invalid) = StreamConfigurationReader.Read(body!.RootElement);
        if (invalid is not null)
        {
            return Problems.Invalid("invalid_stream_configuration", invalid);
        }

        if (request!.StreamId is null)
        {
            return Problems.Invalid("invalid_stream_configuration", "'stream_id' names the stream to change");
        }

        var stream = await FindAsync(d, request.StreamId, http.RequestAborted);
        if (stream is null)
        {
            return NotFound();
        }

        if (replace && !request.HasDelivery)
        {
            return Problems.Invalid("invalid_delivery", "replacing a stream needs its whole configuration, 'delivery' included");
        }

        if (StreamConfigurationReader.CheckTransmitterSupplied(request.TransmitterSupplied, StreamViews.Configuration(stream, d.Issuer.Issuer)) is { } mismatch)
        {
            return Problems.Invalid("invalid_stream_configuration", mismatch);
        }

        var updated = stream with { UpdatedAt = d.Time.GetUtcNow() };
        if (replace || request.EventsRequested is not null)
        {
            updated = updated with { EventsRequested = request.EventsRequested ?? [] };
        }

        if (replace || request.HasDescription)
        {
            updated = updated with { Description = request.Description };
        }

        if (request.HasDelivery)
        {
            if (StreamConfigurationReader.CheckDelivery(request.Method, request.EndpointUrl, request.AuthorizationHeader, d.Options.AllowLoopbackHttpPush) is { } deliveryError)
            {
                return Problems.Invalid("invalid_delivery", deliveryError);
            }

            updated = updated with
            {
                DeliveryMethod = request.Method!,
                EndpointUrl = request.Method == SharedSignalsEvents.Poll ? d.Issuer.Issuer.TrimEnd('/') + PollPath + stream.Id : request.EndpointUrl,
                ProtectedAuthorization = Seal(d.RootKey, stream.Id, request.AuthorizationHeader),
            };
        }

        var result = await d.Store.RevocationEvents.UpdateStreamAsync(updated, http.RequestAborted);
        return result.Succeeded ? Results.Json(StreamViews.Configuration(result.Value!, d.Issuer.Issuer)) : NotFound();
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, Dependencies d)
    {
        var id = http.Request.Query["stream_id"] is { Count: > 0 } ids ? ids[0] : null;
        if (string.IsNullOrEmpty(id))
        {
            return Problems.Invalid("invalid_request", "'stream_id' names the stream to delete");
        }

        var removed = await d.Store.RevocationEvents.RemoveStreamAsync(id, http.RequestAborted);
        return removed.Succeeded ? Results.NoContent() : NotFound();
    }

    private static async Task<IResult> GetStatusAsync(HttpContext http, Dependencies d)
    {
        var id = http.Request.Query["stream_id"] is { Count: > 0 } ids ? ids[0] : null;
        if (string.IsNullOrEmpty(id))
        {
            return MissingStreamId();
        }

        var stream = await FindAsync(d, id, http.RequestAborted);
        return stream is null ? NotFound() : Results.Json(StreamViews.Status(stream));
    }

    private static async Task<IResult> SetStatusAsync(HttpContext http, Dependencies d)
    {
        var (body, error) = await ReadJsonAsync(http, d.Settings);
        if (error is not null)
        {
            return error;
        }

        using var document = body;

        var root = body!.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Problems.Invalid("invalid_request", "the body must be a JSON object with 'stream_id', 'status' and optionally 'reason'");
        }

        // Members other than these are ignored: SSF defines no others, and a receiver may send more.
        var id = StringMember(root, "stream_id");
        var status = StringMember(root, "status");
        string? reason = null;
        if (root.TryGetProperty("reason", out var reasonValue) && reasonValue.ValueKind != JsonValueKind.Null)
        {
            reason = reasonValue.ValueKind == JsonValueKind.String ? reasonValue.GetString() : null;
            if (reason is null || reason.Length > 256 || reason.Any(char.IsControl))
            {
                return Problems.Invalid("invalid_request", "'reason' must be a string of at most 256 printable characters");
            }
        }

        if (string.IsNullOrEmpty(id))
        {
            return MissingStreamId();
        }

        if (!StreamStatus.IsValid(status))
        {
            return Problems.Invalid("invalid_request", "'status' must be enabled, paused or disabled");
        }

        var stream = await FindAsync(d, id, http.RequestAborted);
        if (stream is null)
        {
            return NotFound();
        }

        var result = await d.Store.RevocationEvents.UpdateStreamAsync(stream with { Status = status!, StatusReason = reason, UpdatedAt = d.Time.GetUtcNow() }, http.RequestAborted);
        if (result.Succeeded && status == StreamStatus.Disabled)
        {
            // A disabled stream holds nothing for later (SSF 1.0 §8.1.2): what was queued is dropped, not sent on re-enabling.
            await DropQueueAsync(d, stream.Id, http.RequestAborted);
        }

        d.Transmitter.Wake();
        return result.Succeeded ? Results.Json(StreamViews.Status(result.Value!)) : NotFound();
    }

    private static async Task<IResult> VerifyAsync(HttpContext http, Dependencies d)
    {
        var (body, error) = await ReadJsonAsync(http, d.Settings);
        if (error is not null)
        {
            return error;
        }

        using var document = body;

        var root = body!.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Problems.Invalid("invalid_request", "the body must be a JSON object with 'stream_id' and optionally 'state'");
        }

        var id = StringMember(root, "stream_id");
        string? state = null;
        if (root.TryGetProperty("state", out var stateValue) && stateValue.ValueKind != JsonValueKind.Null)
        {
            state = stateValue.ValueKind == JsonValueKind.String ? stateValue.GetString() : null;
            if (state is null || state.Length > MaxState)
            {
                return Problems.Invalid("invalid_request", $"'state' must be a string of at most {MaxState} characters");
            }
        }

        if (string.IsNullOrEmpty(id))
        {
            return MissingStreamId();
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stream = await FindAsync(d, id, http.RequestAborted);
            if (stream is null)
            {
                return NotFound();
            }

            // A paused stream holds its SETs until enabled (SSF 1.0 §8.1.2), the verification SET too; a disabled one
            // holds nothing, so the SET could never arrive.
            if (stream.Status == StreamStatus.Disabled)
            {
                return Problems.From(new AdminError(AdminErrorKind.Conflict, "stream_disabled", $"stream '{stream.Id}' is disabled; enable it first"));
            }

            var set = await d.Writer.VerificationAsync(stream.Id, stream.Audience, state, http.RequestAborted);
            if (await d.Store.RevocationEvents.EnqueueAsync(stream.Id, stream.Cursor, stream.Cursor, [set], http.RequestAborted))
            {
                d.Transmitter.Wake();
                return Results.NoContent();
            }
        }

        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy", detail: "the stream kept changing; try again");
    }

    private static string? StringMember(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task DropQueueAsync(Dependencies d, string streamId, CancellationToken cancellationToken)
    {
        for (var round = 0; round < 100; round++)
        {
            var queued = await d.Store.RevocationEvents.PeekQueueAsync(streamId, 1000, cancellationToken);
            if (queued.Count == 0)
            {
                return;
            }

            await d.Store.RevocationEvents.AcknowledgeAsync(streamId, [.. queued.Select(q => q.Jti)], cancellationToken);
        }
    }

    internal static Task<(JsonDocument? Body, IResult? Error)> ReadJsonAsync(HttpContext http, WritSettings settings) =>
        JsonRequest.ReadAsync<JsonDocument>(http.Request, settings.MaxJsonBytes);

    internal static async Task<SignalStream?> FindAsync(Dependencies d, string? id, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(id) || id.Length > 128 ? null : await d.Store.RevocationEvents.GetStreamAsync(id, cancellationToken);

    internal static IResult NotFound() => Problems.NotFound("no stream has this 'stream_id'");

    private static ProblemResult MissingStreamId() => Problems.Invalid("invalid_request", "'stream_id' (a string) names the stream and is required");

    private static byte[]? Seal(RootKey rootKey, string streamId, string? authorization) =>
        authorization is null ? null : rootKey.Seal(Encoding.UTF8.GetBytes(authorization), SignalTransmitter.AuthorizationPurpose, SignalTransmitter.AssociatedData(streamId));

    /// <summary>What every SSF endpoint needs, resolved once per request.</summary>
    internal sealed record Dependencies(IWritStore Store, IssuerResolver Issuer, RootKey RootKey, SecurityEventTokenWriter Writer, SignalTransmitter Transmitter, RevocationStreamOptions Options, WritSettings Settings, TimeProvider Time);
}
