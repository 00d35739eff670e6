using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Writ.Core.Audit;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;
using Writ.Gateway.Credentials;
using Writ.Gateway.Inbound;
using Writ.Gateway.Sessions;
using Yarp.ReverseProxy.Forwarder;

namespace Writ.Gateway.Mcp;

/// <summary>
/// One request through the gateway: admit the task token, decide every call the body carries
/// (<c>tools/call</c>, <c>resources/read</c>, <c>prompts/get</c>; or the HTTP API operation), refuse with a
/// JSON-RPC error or forward with the upstream credential, filter the tool, resource and prompt lists, and audit each call's outcome.
/// </summary>
internal sealed partial class GatewayHandler(
    InboundAuthenticator authenticator,
    ProtectedResource resource,
    CallDecider decider,
    UpstreamCredentials credentials,
    IAuditLog audit,
    IHttpForwarder forwarder,
    HttpMessageInvoker invoker,
    GatewaySettings settings,
    Upstreams.StdioBridge stdio,
    Upstreams.StdioSessions stdioSessions,
    SessionBindings sessionBindings,
    ListingDecider listing,
    TimeProvider time,
    ILogger<GatewayHandler> logger)
{
    private const string DecisionUnavailable = "decision.unavailable";
    private const string TargetUnknown = "target.unknown";
    private const string CredentialUnavailable = "credential.unavailable";

    public async Task HandleAsync(HttpContext context, GatewayRoute route)
    {
        var aborted = context.RequestAborted;
        var inbound = await authenticator.AuthenticateAsync(context, resource.RequestUrl(context.Request), aborted);
        if (inbound.Claims is not { } task)
        {
            await resource.ChallengeAsync(context, route.Path, inbound);
            return;
        }

        string? sessionId = null;
        if (route.Kind != UpstreamKind.Http)
        {
            var header = context.Request.Headers[McpSession.Header];
            if (header.Count > 1 || (header.Count == 1 && !McpSession.IsWellFormed(header[0])))
            {
                await WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.Error(null, JsonRpcBody.InvalidRequest, "send at most one Mcp-Session-Id, of visible ASCII characters"));
                return;
            }

            sessionId = header.Count == 1 ? header[0] : null;
            if (sessionId is not null && !await SessionAdmittedAsync(context, route, task, sessionId))
            {
                return;
            }
        }

        byte[]? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            body = await ReadBodyAsync(context.Request, settings.MaxBodyBytes, aborted);
            if (body is null)
            {
                await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, JsonRpcErrors.Error(null, JsonRpcBody.InvalidRequest, $"the request body is larger than the gateway's limit of {settings.MaxBodyBytes} bytes"));
                return;
            }
        }

        var remainder = context.Request.Path.Value!.Length > route.Path.Length ? context.Request.Path.Value[route.Path.Length..] : string.Empty;
        var calls = new List<PendingCall>();
        ListFilter? filter = null;
        JsonDocument? document = null;
        JsonRpcBody? parsed = null;
        try
        {
            if (route.Kind == UpstreamKind.Http)
            {
                if (HttpCall(route, context.Request, remainder) is not { } call)
                {
                    await WriteAsync(context, StatusCodes.Status404NotFound, JsonRpcErrors.Utf8("{\"error\":\"not_found\",\"error_description\":\"no operation of this API is named as a tool for this method and path\"}"));
                    return;
                }

                calls.Add(call);
            }
            else if (body is not null && HttpMethods.IsPost(context.Request.Method))
            {
                parsed = JsonRpcBody.Parse(body, out document);
                if (parsed.Error is not null)
                {
                    await WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.Error(null, parsed.ErrorCode, parsed.Error));
                    return;
                }

                var listIds = new Dictionary<string, ListKind>(StringComparer.Ordinal);
                foreach (var message in parsed.Messages)
                {
                    if (message.Id is not null && ListKind.ForMethod(message.Method) is { } kind)
                    {
                        listIds[message.Id] = kind;
                    }
                    else if (McpCall(route, message, out var malformed) is { } call)
                    {
                        calls.Add(call);
                    }
                    else if (malformed is not null)
                    {
                        await WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.Error(message.Id, JsonRpcBody.InvalidRequest, malformed));
                        return;
                    }
                }

                filter = listIds.Count > 0 ? new ListFilter(route, task.Intent, listIds, (call, ct) => listing.AllowsAsync(task, call, ct)) : null;
                if (!await DecideAllAsync(task, calls, aborted))
                {
                    await RefuseAsync(context, parsed, calls);
                    return;
                }
            }

            if (route.Kind == UpstreamKind.Http && !await DecideAllAsync(task, calls, aborted))
            {
                var reason = calls[0].Reason!;
                await WriteAsync(context, StatusCodes.Status403Forbidden, JsonSerializer.SerializeToUtf8Bytes(new { error = "refused", error_description = JsonRpcErrors.Refusal(reason), reason }));
                return;
            }

            if (route.Kind == UpstreamKind.Stdio)
            {
                var begun = time.GetTimestamp();
                var stdioStatus = await stdio.HandleAsync(context, route, task, parsed, body, filter);
                await AuditOutcomesAsync(task, calls, stdioStatus, time.GetElapsedTime(begun).TotalMilliseconds, aborted.IsCancellationRequested ? "client_aborted" : null, null);
                return;
            }

            var credential = await credentials.GetAsync(route, task, inbound.Token!, aborted);
            if (credential is null)
            {
                await WriteAsync(context, StatusCodes.Status502BadGateway, JsonRpcErrors.Error(null, JsonRpcErrors.Refused, JsonRpcErrors.Refusal(CredentialUnavailable), CredentialUnavailable));
                await AuditOutcomesAsync(task, calls, StatusCodes.Status502BadGateway, 0, CredentialUnavailable, null);
                return;
            }

            if (body is not null)
            {
                context.Request.Body = new MemoryStream(body, writable: false);
                context.Request.ContentLength = body.Length;
                context.Request.Headers.TransferEncoding = default;
            }

            var target = new Uri(route.Url!.AbsoluteUri.TrimEnd('/') + remainder + context.Request.QueryString.Value);
            var tracking = route.Kind == UpstreamKind.Mcp ? new SessionTracking(sessionBindings, route.Path, task, sessionId, HttpMethods.IsDelete(context.Request.Method)) : null;
            var transformer = new UpstreamTransformer(target, credential, filter, tracking, settings.MaxBodyBytes * 4);
            var started = time.GetTimestamp();
            var error = await forwarder.SendAsync(context, route.Url.AbsoluteUri, invoker, new ForwarderRequestConfig { ActivityTimeout = IdleLimit(route, context.Request) }, transformer);
            var latency = time.GetElapsedTime(started);
            if (error != ForwarderError.None)
            {
                // An agent closing an event stream it no longer wants is routine, not an upstream failure.
                if (ErrorName(error, aborted) == "client_aborted")
                {
                    LogClientAborted(route.Path, error);
                }
                else
                {
                    LogForwardFailed(route.Path, error.ToString());
                }

                if (!context.Response.HasStarted && !aborted.IsCancellationRequested)
                {
                    var status = error == ForwarderError.RequestTimedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
                    context.Response.StatusCode = status;
                    await WriteAsync(context, status, JsonRpcErrors.Error(null, JsonRpcErrors.UpstreamFailed, error == ForwarderError.RequestTimedOut ? "the upstream did not answer in time" : "the upstream could not be reached or failed"));
                }
            }

            await AuditOutcomesAsync(task, calls, context.Response.StatusCode, latency.TotalMilliseconds, error == ForwarderError.None ? null : ErrorName(error, aborted), credential.LeaseId);
        }
        finally
        {
            document?.Dispose();
        }
    }

    // A GET on an MCP endpoint opens the server's own event stream, which may rightly stay quiet for long; every other
    // request is waiting for an answer and keeps the upstream timeout.
    private TimeSpan IdleLimit(GatewayRoute route, HttpRequest request) =>
        route.Kind == UpstreamKind.Mcp && HttpMethods.IsGet(request.Method) ? settings.StreamIdleTimeoutFor(route) : settings.UpstreamTimeout;

    // A session id is only usable by the task and agent that created it through this gateway. Another task's id and an
    // id this process never saw get the same answer MCP gives for an ended session, so the agent re-initializes and a
    // prober learns nothing about which sessions exist; the record says which it was.
    private async Task<bool> SessionAdmittedAsync(HttpContext context, GatewayRoute route, TaskTokenClaims task, string sessionId)
    {
        var check = route.Kind == UpstreamKind.Stdio
            ? await stdioSessions.CheckAsync(sessionId, route.Path, task)
            : sessionBindings.Check(route.Path, sessionId, task);
        if (check == SessionCheck.Owned)
        {
            return true;
        }

        var reason = check == SessionCheck.Foreign ? McpSession.Foreign : McpSession.Unknown;
        try
        {
            await audit.RecordAsync(
                new AuditEvent
                {
                    Type = AuditEventTypes.Decision,
                    Agent = task.ActingAgent,
                    Owner = task.Owner,
                    TaskId = task.TaskId,
                    Chain = [.. task.Chain, task.ActingAgent],
                    Target = route.Path + " session",
                    Decision = "deny",
                    Reason = reason,
                    TraceId = Activity.Current?.TraceId.ToHexString(),
                    Detail = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["method"] = context.Request.Method,

                        // The id itself is a capability for the session; a digest lets records be correlated without it.
                        ["session_sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)))[..16],
                    },
                },
                context.RequestAborted);
        }
        catch (AuditUnavailableException)
        {
            // Refused anyway.
        }

        await WriteAsync(context, StatusCodes.Status404NotFound, JsonRpcErrors.Error(null, JsonRpcBody.InvalidRequest, "no such MCP session; start a new one with initialize"));
        return false;
    }

    private static string ErrorName(ForwarderError error, CancellationToken aborted) =>
        aborted.IsCancellationRequested || error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            ? "client_aborted"
            : error == ForwarderError.RequestTimedOut ? "upstream_timeout" : "upstream_failed";

    // Every request that names a tool, resource or prompt is decided, including those that only reveal something
    // about it (a subscription, a completion), so an agent cannot probe what its task may not use.
    private static PendingCall? McpCall(GatewayRoute route, JsonRpcMessage message, out string? malformed)
    {
        malformed = null;
        if (!message.IsRequest)
        {
            return null;
        }

        var p = message.Params is { ValueKind: JsonValueKind.Object } o ? o : default;
        string? Text(string name) => p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        JsonElement? Args() => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("arguments", out var a) ? a : null;
        var method = message.Method!;
        switch (method)
        {
            case "tools/call":
            {
                var name = Text("name") ?? string.Empty;
                var args = Args();
                return new PendingCall(message.Id, method, route.ToolName(name), route.TargetFor(name)?.Derive(args), CallKind.ToolCall, args);
            }

            case "resources/read":
                return new PendingCall(message.Id, method, Text("uri") ?? string.Empty, route.Target?.Fixed, CallKind.ResourceRead, null);
            case "resources/subscribe" or "resources/unsubscribe":
                if (Text("uri") is not { Length: > 0 } uri)
                {
                    malformed = method + " needs params.uri, the resource's URI";
                    return null;
                }

                return new PendingCall(message.Id, method, uri, route.Target?.Fixed, CallKind.ResourceRead, null);
            case "prompts/get":
            {
                var args = Args();
                return new PendingCall(message.Id, method, Text("name") ?? string.Empty, route.Target?.Derive(args), CallKind.PromptGet, args);
            }

            case "completion/complete":
                return CompletionCall(route, message, p, out malformed);
            default:
                return null;
        }
    }

    // A completion is decided as the prompts/get or resources/read of what it completes. A prompt's arguments are
    // those already chosen (context.arguments) with the one being completed, as far as it is typed.
    private static PendingCall? CompletionCall(GatewayRoute route, JsonRpcMessage message, JsonElement p, out string? malformed)
    {
        malformed = "completion/complete needs params.ref ({\"type\":\"ref/prompt\",\"name\"} or {\"type\":\"ref/resource\",\"uri\"}) and params.argument ({\"name\",\"value\"}, strings)";
        if (p.ValueKind != JsonValueKind.Object
            || !p.TryGetProperty("ref", out var reference) || reference.ValueKind != JsonValueKind.Object
            || !reference.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !p.TryGetProperty("argument", out var argument) || argument.ValueKind != JsonValueKind.Object
            || !argument.TryGetProperty("name", out var argumentName) || argumentName.ValueKind != JsonValueKind.String
            || !argument.TryGetProperty("value", out var argumentValue) || argumentValue.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var known = p.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
            && context.TryGetProperty("arguments", out var chosen) ? chosen : default;
        if (known.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
        {
            return null;
        }

        if (type.ValueEquals("ref/prompt"))
        {
            if (!reference.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 } prompt)
            {
                return null;
            }

            var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (known.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in known.EnumerateObject())
                {
                    arguments[property.Name] = property.Value;
                }
            }

            arguments[argumentName.GetString()!] = argumentValue;
            var args = JsonSerializer.SerializeToElement(arguments);
            malformed = null;
            return new PendingCall(message.Id, message.Method!, prompt, route.Target?.Derive(args), CallKind.PromptGet, args);
        }

        if (type.ValueEquals("ref/resource"))
        {
            if (!reference.TryGetProperty("uri", out var uri) || uri.ValueKind != JsonValueKind.String || uri.GetString() is not { Length: > 0 } template)
            {
                return null;
            }

            malformed = null;
            return new PendingCall(message.Id, message.Method!, template, route.Target?.Fixed, CallKind.ResourceRead, null);
        }

        return null;
    }

    private static PendingCall? HttpCall(GatewayRoute route, HttpRequest request, string remainder)
    {
        var segments = remainder.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var operation in route.Operations)
        {
            if (!string.Equals(operation.Method, request.Method, StringComparison.OrdinalIgnoreCase) || operation.Segments.Length != segments.Length)
            {
                continue;
            }

            var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
            var match = true;
            for (var i = 0; i < segments.Length && match; i++)
            {
                var pattern = operation.Segments[i];
                if (pattern.Length > 2 && pattern[0] == '{' && pattern[^1] == '}')
                {
                    arguments[pattern[1..^1]] = Uri.UnescapeDataString(segments[i]);
                }
                else
                {
                    match = string.Equals(pattern, segments[i], StringComparison.Ordinal);
                }
            }

            if (!match)
            {
                continue;
            }

            foreach (var (key, values) in request.Query)
            {
                arguments.TryAdd(key, values.ToString());
            }

            var json = JsonSerializer.SerializeToElement(arguments);
            return new PendingCall(null, null, operation.Tool, operation.Target.Derive(json), CallKind.ToolCall, json);
        }

        return null;
    }

    private async Task<bool> DecideAllAsync(TaskTokenClaims task, List<PendingCall> calls, CancellationToken cancellationToken)
    {
        var allowed = true;
        foreach (var call in calls)
        {
            if (call.Target is null)
            {
                call.Reason = TargetUnknown;
                allowed = false;
                await RecordRefusalAsync(task, call, cancellationToken);
                continue;
            }

            CallDecision decision;
            try
            {
                decision = await decider.DecideAsync(task, new CallRequest(call.Tool, call.Target, call.Kind) { Arguments = call.Arguments, TraceId = Activity.Current?.TraceId.ToHexString() }, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Fail closed: a call that cannot be decided is refused.
                LogDecisionFailed(ex);
                decision = new CallDecision(false, DecisionUnavailable, [], []);
            }

            call.Reason = decision.Allowed ? null : decision.Reason;
            allowed &= decision.Allowed;
        }

        return allowed;
    }

    private async Task RecordRefusalAsync(TaskTokenClaims task, PendingCall call, CancellationToken cancellationToken)
    {
        try
        {
            await audit.RecordAsync(Event(task, call, AuditEventTypes.Decision, "deny", call.Reason, null), cancellationToken);
        }
        catch (AuditUnavailableException)
        {
            // Refused anyway; nothing more to do.
        }
    }

    private async Task AuditOutcomesAsync(TaskTokenClaims task, List<PendingCall> calls, int status, double milliseconds, string? error, string? lease)
    {
        foreach (var call in calls)
        {
            var detail = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["status"] = status.ToString(CultureInfo.InvariantCulture),
                ["latency_ms"] = milliseconds.ToString("0.###", CultureInfo.InvariantCulture),
            };
            if (lease is not null)
            {
                detail["lease"] = lease;
            }

            if (call.Method is not null)
            {
                detail["method"] = call.Method;
            }

            try
            {
                await audit.RecordFollowUpAsync(Event(task, call, AuditEventTypes.ToolCall, error ?? "forwarded", error, detail), CancellationToken.None);
            }
            catch (AuditUnavailableException ex)
            {
                LogOutcomeNotRecorded(ex.Message);
            }
        }
    }

    private static AuditEvent Event(TaskTokenClaims task, PendingCall call, string type, string decision, string? reason, IReadOnlyDictionary<string, string>? detail) => new()
    {
        Type = type,
        Agent = task.ActingAgent,
        Owner = task.Owner,
        TaskId = task.TaskId,
        Chain = [.. task.Chain, task.ActingAgent],
        Target = call.Tool + " " + (call.Target ?? "?"),
        Decision = decision,
        Reason = reason,
        TraceId = Activity.Current?.TraceId.ToHexString(),
        Detail = detail,
    };

    private static async Task RefuseAsync(HttpContext context, JsonRpcBody body, List<PendingCall> calls)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (body.Batch)
            {
                writer.WriteStartArray();
            }

            foreach (var message in body.Messages)
            {
                if (!message.IsRequest)
                {
                    continue;
                }

                var reason = calls.Find(c => ReferenceEquals(c.Id, message.Id))?.Reason ?? "batch.refused";
                JsonRpcErrors.Write(writer, message.Id, JsonRpcErrors.Refused, JsonRpcErrors.Refusal(reason), reason);
            }

            if (body.Batch)
            {
                writer.WriteEndArray();
            }
        }

        await WriteAsync(context, StatusCodes.Status200OK, buffer.ToArray());
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to the upstream of {Route} failed: {Error}")]
    private partial void LogForwardFailed(string route, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The agent ended its exchange with the upstream of {Route}: {Error}")]
    private partial void LogClientAborted(string route, ForwarderError error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A call could not be decided and was refused")]
    private partial void LogDecisionFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A forwarded call's outcome could not be recorded: {Reason}")]
    private partial void LogOutcomeNotRecorded(string reason);

    /// <summary>A call found in the request, and its refusal reason once decided (null when allowed).</summary>
    private sealed class PendingCall(string? id, string? method, string tool, string? target, CallKind kind, JsonElement? arguments)
    {
        public string? Id { get; } = id;

        /// <summary>The JSON-RPC method (null for an HTTP API operation).</summary>
        public string? Method { get; } = method;

        public string Tool { get; } = tool;

        public string? Target { get; } = target;

        public CallKind Kind { get; } = kind;

        public JsonElement? Arguments { get; } = arguments;

        public string? Reason { get; set; }
    }
}
