using System.Diagnostics;
using Writ.Core.Audit;
using Writ.Core.Clients;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Core.Leases;
using Writ.Core.Tasks;
using Writ.Server.Configuration;
using Writ.Server.Endpoints.Leases;
using Writ.Server.Endpoints.Tasks;
using Writ.Server.Hosting;
using Writ.Server.Http;
using Writ.Server.Telemetry;

namespace Writ.Server.Endpoints;

/// <summary>The OAuth endpoints: token (attestation → identity token), introspection and revocation.</summary>
internal static class TokenEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/oauth2/token", Token);
        app.MapPost("/oauth2/introspect", Introspect);
        app.MapPost("/oauth2/revoke", Revoke);
    }

    private static async Task<IResult> Token(HttpContext http, TokenService tokens, TaskService tasks, WritSettings settings)
    {
        var (form, formError) = await FormRequest.ReadAsync(http.Request, settings.MaxFormBytes);
        if (formError is not null)
        {
            Count("unknown", "invalid_request");
            return formError;
        }

        // A task token with a resource (RFC 8707) and no new intent buys a downstream access token: leases' business.
        if (AccessTokenExchange.Handles(form!))
        {
            return await AccessTokenEndpoint.HandleAsync(http, form!);
        }

        // Task starts (identity token + authorization_details) and delegations (task token as subject) are tasks' business.
        if (TaskService.Handles(form!))
        {
            return await TaskTokenExchange.HandleAsync(http, form!, tasks);
        }

        var grant = form!.TryGetValue("grant_type", out var g) ? GrantTag(g) : "missing";
        using var activity = WritTelemetry.Source.StartActivity("writ.token.issue");
        activity?.SetTag("writ.grant_type", grant);
        OAuthResult<IssuedIdentityToken> result;
        try
        {
            result = await tokens.ExchangeAsync(form, http.RequestAborted);
        }
        catch (KeyRingException)
        {
            // Fail closed: without a usable signing key nothing is issued.
            activity?.SetStatus(ActivityStatusCode.Error, "no signing key");
            Count(grant, "temporarily_unavailable");
            return new OAuthErrorResult("temporarily_unavailable", "no signing key is available; try again later", StatusCodes.Status503ServiceUnavailable);
        }
        catch (AuditUnavailableException)
        {
            // Fail closed: a token whose issuance cannot be recorded durably is not handed out.
            activity?.SetStatus(ActivityStatusCode.Error, "audit unavailable");
            Count(grant, "temporarily_unavailable");
            return new OAuthErrorResult("temporarily_unavailable", "the audit log is unavailable; try again later", StatusCodes.Status503ServiceUnavailable);
        }

        if (!result.Succeeded)
        {
            activity?.SetTag("writ.outcome", result.Error!.Error);
            Count(grant, result.Error!.Error);
            return new OAuthErrorResult(result.Error.Error, result.Error.Description, result.Error.Error == OAuthError.InvalidClient ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest);
        }

        var issued = result.Value!;
        activity?.SetTag("writ.outcome", "issued");
        activity?.SetTag("writ.agent", issued.Attestation.Agent.Name);
        activity?.SetTag("writ.attestation", Writ.Core.Domain.WireName.Of(issued.Attestation.Method));
        Count(grant, "issued");
        return new TokenResponseResult(issued.Token, issued.ExpiresIn);
    }

    private static async Task<IResult> Introspect(HttpContext http, ClientAuthenticator clients, IntrospectionService introspection, IssuerResolver endpoints, WritSettings settings)
    {
        var (form, formError) = await FormRequest.ReadAsync(http.Request, settings.MaxFormBytes);
        if (formError is not null)
        {
            return formError;
        }

        var auth = await clients.AuthenticateAsync(http.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null, form!, endpoints.IntrospectionEndpoint, http.RequestAborted);
        if (!auth.Presented)
        {
            return new OAuthErrorResult(OAuthError.InvalidClient, "introspection requires client authentication", StatusCodes.Status401Unauthorized);
        }

        if (auth.Error is { } authError)
        {
            return ClientError(authError);
        }

        if (!form!.TryGetValue("token", out var token))
        {
            return new OAuthErrorResult(OAuthError.InvalidRequest, "'token' is required");
        }

        using var activity = WritTelemetry.Source.StartActivity("writ.token.introspect");
        activity?.SetTag("writ.client", auth.Client!.Name);
        var response = await introspection.IntrospectAsync(token, http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(response);
    }

    private static async Task<IResult> Revoke(HttpContext http, ClientAuthenticator clients, RevocationService revocation, IssuerResolver endpoints, WritSettings settings)
    {
        var (form, formError) = await FormRequest.ReadAsync(http.Request, settings.MaxFormBytes);
        if (formError is not null)
        {
            return formError;
        }

        // Holding the token is enough to revoke it; credentials, when presented, must be right.
        var auth = await clients.AuthenticateAsync(http.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null, form!, endpoints.RevocationEndpoint, http.RequestAborted);
        if (auth.Error is { } authError)
        {
            return ClientError(authError);
        }

        if (!form!.TryGetValue("token", out var token))
        {
            return new OAuthErrorResult(OAuthError.InvalidRequest, "'token' is required");
        }

        using var activity = WritTelemetry.Source.StartActivity("writ.token.revoke");
        var revoked = await revocation.RevokeAsync(token, auth.Client is { } client ? "client:" + client.Name : "token-holder", http.RequestAborted);
        activity?.SetTag("writ.outcome", revoked ? "revoked" : "ignored");
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok();
    }

    private static OAuthErrorResult ClientError(OAuthError error) =>
        new(error.Error, error.Description, error.Error == OAuthError.InvalidClient ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest);

    private static string GrantTag(string grantType) => grantType switch
    {
        TokenTypes.TokenExchangeGrant => "token-exchange",
        TokenTypes.JwtBearerGrant => "jwt-bearer",
        _ => "other",
    };

    private static void Count(string grant, string outcome) =>
        WritTelemetry.TokenRequests.Add(1, new KeyValuePair<string, object?>("grant", grant), new KeyValuePair<string, object?>("outcome", outcome));
}
