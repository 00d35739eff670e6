using System.Text.Json;
using Writ.Core.Audit;
using Writ.Core.Keys;
using Writ.Core.Leases;
using Writ.Server.Http;
using Writ.Server.Telemetry;

namespace Writ.Server.Endpoints.Leases;

/// <summary>The token endpoint's resource branch: task token + <c>resource</c> → RFC 9068 access token.</summary>
internal static class AccessTokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, IReadOnlyDictionary<string, string> form)
    {
        var exchange = http.RequestServices.GetRequiredService<AccessTokenExchange>();
        OAuthResultView result;
        try
        {
            var issued = await exchange.ExchangeAsync(form, http.RequestAborted);
            result = issued.Succeeded ? new OAuthResultView(issued.Value, null, null) : new OAuthResultView(null, issued.Error!.Error, issued.Error.Description);
        }
        catch (KeyRingException)
        {
            Count("temporarily_unavailable");
            return new OAuthErrorResult("temporarily_unavailable", "no signing key is available; try again later", StatusCodes.Status503ServiceUnavailable);
        }
        catch (AuditUnavailableException)
        {
            // Fail closed: a token whose lease cannot be recorded durably is not handed out.
            Count("temporarily_unavailable");
            return new OAuthErrorResult("temporarily_unavailable", "the audit log is unavailable; try again later", StatusCodes.Status503ServiceUnavailable);
        }

        if (result.Issued is not { } token)
        {
            Count(result.Error!);
            return new OAuthErrorResult(result.Error!, result.Description!);
        }

        Count("issued");
        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            new Dictionary<string, object>
            {
                ["access_token"] = token.Token,
                ["issued_token_type"] = AccessTokenExchange.AccessTokenType,
                ["token_type"] = "Bearer",
                ["expires_in"] = token.ExpiresIn,
                ["scope"] = token.Scope,
            },
            (JsonSerializerOptions?)null);
    }

    private static void Count(string outcome) =>
        WritTelemetry.TokenRequests.Add(1, new KeyValuePair<string, object?>("grant", "resource_access_token"), new KeyValuePair<string, object?>("outcome", outcome));

    private sealed record OAuthResultView(IssuedAccessToken? Issued, string? Error, string? Description);
}
