using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Writ.Core.Audit;
using Writ.Core.Policy;
using Writ.Core.Policy.AuthZen;
using Writ.Server.Hosting;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.AuthZen;

/// <summary>
/// One AuthZEN evaluation or evaluations request, step by step: echo <c>X-Request-ID</c>, authenticate (401/403),
/// find the store (404), check the media type (400, as the specification's error table and its certification
/// scenario have it) and size (413), read and check the structure (400), decide each evaluation in request order
/// under the requested semantic (a malformed item of an evaluations array is denied, not refused), record each
/// decision, answer 200.
/// </summary>
internal sealed class AuthZenHandler(PdpAuthenticator authenticator, WritDomainDecider writ, NamedStoreCache stores, IAuditLog audit, IssuerResolver issuer)
{
    public const long MaxBodyBytes = 256 * 1024;
    public const int MaxRequestIdLength = 1024;
    private const string RequestIdHeader = "X-Request-ID";

    public async Task EvaluateAsync(HttpContext http, string? storeName, bool batch)
    {
        var request = http.Request;
        if (!EchoRequestId(http))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, $"give at most one X-Request-ID header of at most {MaxRequestIdLength} characters");
            return;
        }

        var requestIds = request.Headers[RequestIdHeader];

        var (caller, status, error) = await authenticator.AuthenticateAsync(request.Headers.Authorization, new PdpEndpoint(issuer, storeName, request.Path), http.RequestAborted);
        if (caller is null)
        {
            if (status == StatusCodes.Status401Unauthorized)
            {
                http.Response.Headers.WWWAuthenticate = new StringValues(["Bearer realm=\"writ-pdp\"", "Basic realm=\"writ-pdp\", charset=\"UTF-8\""]);
            }

            await WriteErrorAsync(http, status, error!);
            return;
        }

        CompiledNamedStore? store = null;
        if (storeName is not null && (store = stores.Get(storeName)) is null)
        {
            await WriteErrorAsync(http, StatusCodes.Status404NotFound, $"there is no policy store named '{storeName}'");
            return;
        }

        if (!IsJson(request.ContentType))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "the request body must be JSON (Content-Type: application/json)");
            return;
        }

        var body = await BodyReader.ReadAsync(request, MaxBodyBytes, http.RequestAborted);
        if (body is null)
        {
            await WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, $"the request body is larger than {MaxBodyBytes} bytes");
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, AuthZenRequestReader.DocumentOptions);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "the request body is not valid JSON: " + FirstSentence(ex.Message));
            return;
        }

        using (document)
        {
            AuthZenBatch? parsed;
            try
            {
                parsed = batch
                    ? AuthZenRequestReader.ReadEvaluations(document.RootElement, out error)
                    : AuthZenRequestReader.ReadEvaluation(document.RootElement, out error) is { } one ? new AuthZenBatch(null, one, EvaluationsSemantic.ExecuteAll) : null;
            }
            catch (InvalidOperationException)
            {
                // A string escape that decodes to invalid UTF-16 (a lone surrogate).
                parsed = null;
                error = "the request body has a string that is not valid Unicode";
            }

            if (parsed is null)
            {
                await WriteErrorAsync(http, StatusCodes.Status400BadRequest, error!);
                return;
            }

            var context = new DecisionContext(caller, storeName, requestIds.Count == 1 ? requestIds[0] : null, Activity.Current?.TraceId.ToString());
            try
            {
                await DecideAndWriteAsync(http, store, parsed, context);
            }
            catch (AuditUnavailableException)
            {
                // A decision that cannot be recorded is not given (fail closed); the caller may retry.
                http.Response.Headers.RetryAfter = "1";
                await WriteErrorAsync(http, StatusCodes.Status503ServiceUnavailable, "the decision could not be recorded in the audit log; retry shortly");
            }
        }
    }

    private async Task DecideAndWriteAsync(HttpContext http, CompiledNamedStore? store, AuthZenBatch parsed, DecisionContext context)
    {
        if (parsed.Evaluations is null)
        {
            var decision = await DecideAsync(store, parsed.Single!, context, http.RequestAborted);
            await WriteJsonAsync(http, w => WriteDecision(w, decision));
            return;
        }

        var results = new List<Decided>(parsed.Evaluations.Count);
        foreach (var item in parsed.Evaluations)
        {
            var decided = item.Evaluation is { } evaluation
                ? await DecideAsync(store, evaluation, context, http.RequestAborted)
                : Malformed(item.Error!);
            results.Add(decided);
            if ((parsed.Semantic == EvaluationsSemantic.DenyOnFirstDeny && !decided.Decision.Allowed)
                || (parsed.Semantic == EvaluationsSemantic.PermitOnFirstPermit && decided.Decision.Allowed))
            {
                break;
            }
        }

        await WriteJsonAsync(http, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("evaluations");
            w.WriteStartArray();
            foreach (var decided in results)
            {
                // The interop harnesses compare each item with {"decision": …} exactly, and the specification lets a
                // PEP refuse a permit whose context it does not understand: an item carries a context only when it
                // could not be evaluated. Its reasons and policies are in the audit log.
                if (decided.Decision.Problem is null)
                {
                    w.WriteStartObject();
                    w.WriteBoolean("decision", decided.Decision.Allowed);
                    w.WriteEndObject();
                }
                else
                {
                    WriteDecision(w, decided);
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Copies the request's <c>X-Request-ID</c> to the response, as the specification requires of every API response;
    /// false (nothing copied) when there are several or one is too long.
    /// </summary>
    public static bool EchoRequestId(HttpContext http)
    {
        var requestIds = http.Request.Headers[RequestIdHeader];
        if (requestIds.Count > 1 || (requestIds.Count == 1 && (requestIds[0] ?? string.Empty).Length > MaxRequestIdLength))
        {
            return false;
        }

        if (requestIds.Count == 1)
        {
            http.Response.Headers[RequestIdHeader] = requestIds;
        }

        return true;
    }

    public static async Task WriteMetadataAsync(HttpContext http, string pdp)
    {
        EchoRequestId(http);
        http.Response.Headers.CacheControl = "max-age=300";
        await WriteJsonAsync(http, w =>
        {
            w.WriteStartObject();
            w.WriteString("policy_decision_point", pdp);
            w.WriteString("access_evaluation_endpoint", pdp + "/access/v1/evaluation");
            w.WriteString("access_evaluations_endpoint", pdp + "/access/v1/evaluations");
            w.WriteEndObject();
        }, cache: false);
    }

    /// <summary>The specification's error response: the status and an error message string.</summary>
    public static async Task WriteErrorAsync(HttpContext http, int status, string message)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(message, http.RequestAborted);
    }

    private static async Task WriteJsonAsync(HttpContext http, Action<Utf8JsonWriter> write, bool cache = true)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        if (cache)
        {
            response.Headers.CacheControl = "no-store";
        }

        response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            write(writer);
        }

        await response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    private static void WriteDecision(Utf8JsonWriter w, Decided decided)
    {
        var d = decided.Decision;
        w.WriteStartObject();
        w.WriteBoolean("decision", d.Allowed);
        w.WritePropertyName("context");
        w.WriteStartObject();
        w.WriteString("id", "0");
        w.WritePropertyName("reason_admin");
        w.WriteStartObject();
        w.WriteString("en", decided.Reason);
        w.WriteEndObject();
        if (d.Problem is not null)
        {
            w.WritePropertyName("error");
            w.WriteStartObject();
            w.WriteNumber("status", d.ProblemStatus);
            w.WriteString("message", d.Problem);
            w.WriteEndObject();
        }

        if (d.Policies.Count > 0)
        {
            w.WritePropertyName("policies");
            w.WriteStartArray();
            foreach (var id in d.Policies)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
        }

        if (d.Errors.Count > 0)
        {
            w.WritePropertyName("errors");
            w.WriteStartArray();
            foreach (var e in d.Errors)
            {
                w.WriteStartObject();
                w.WriteString("policy", e.PolicyId);
                w.WriteString("message", e.Error.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (decided.PolicyVersion is { } version)
        {
            w.WriteNumber("policy_version", version);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    // Not recorded: nothing was evaluated, and the item may not even name a subject or resource.
    private static Decided Malformed(string error)
    {
        var decision = AuthZenDecision.Failed(error);
        return new Decided(decision, null, Reason(decision));
    }

    private static string Reason(AuthZenDecision d) => d switch
    {
        { Problem: not null } => "the request could not be evaluated: " + d.Problem,
        { Allowed: true } => "permitted by " + string.Join(", ", d.Policies),
        { Policies.Count: > 0 } => "forbidden by " + string.Join(", ", d.Policies),
        _ => "no policy permits the request",
    };

    private async ValueTask<Decided> DecideAsync(CompiledNamedStore? store, AuthZenEvaluation evaluation, DecisionContext context, CancellationToken cancellationToken)
    {
        AuthZenDecision decision;
        long? version;
        string? agent = null;
        string? owner = null;
        if (store is not null)
        {
            decision = NamedStoreDecider.Decide(store, evaluation);
            version = store.Version;
        }
        else
        {
            (decision, var setVersion, agent, owner) = await writ.DecideAsync(evaluation, cancellationToken);
            version = setVersion;
        }

        var reason = Reason(decision);
        await audit.RecordAsync(
            new AuditEvent
            {
                Type = AuditEventTypes.Decision,
                Agent = agent,
                Owner = owner,
                Target = evaluation.Resource.Type + "::" + evaluation.Resource.Id,
                Decision = decision.Allowed ? "allow" : "deny",
                Reason = reason,
                Actor = context.Caller.Name,
                TraceId = context.TraceId,
                Policies = decision.Policies,
                Errors = decision.Errors.Count == 0 ? null : [.. decision.Errors.Select(e => e.PolicyId)],
                Detail = new Dictionary<string, string>
                {
                    ["pdp"] = context.Store is null ? "writ" : "store:" + context.Store,
                    ["subject"] = evaluation.Subject.Type + "::" + evaluation.Subject.Id,
                    ["action"] = evaluation.Action.Name,
                    ["policy_version"] = version.Value.ToString(CultureInfo.InvariantCulture),
                    ["request_id"] = context.RequestId ?? string.Empty,
                },
            },
            cancellationToken);
        return new Decided(decision, store is null ? version : null, reason);
    }

    private static bool IsJson(string? contentType) =>
        string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase)
        || (MediaTypeHeaderValue.TryParse(contentType, out var mediaType) && mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var text = end > 0 ? message[..end] : message;
        return text.Length > 200 ? text[..200] : text;
    }

    private sealed record DecisionContext(PdpCaller Caller, string? Store, string? RequestId, string? TraceId);

    private sealed record Decided(AuthZenDecision Decision, long? PolicyVersion, string Reason);
}
