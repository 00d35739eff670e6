using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Writ.Core.Audit;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Core.Security;
using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Core.Leases;

/// <summary>
/// Downstream access tokens by token exchange (RFC 8693) with a <c>resource</c> (RFC 8707): a task
/// token in, an RFC 9068 JWT access token out (<c>typ</c> <c>at+jwt</c>), whose audience is the
/// resource and whose scope is exactly the task's allowed tools with that resource as a target. It
/// lives at most five minutes and never beyond the task, and each one is a lease. A subject token that is
/// invalid or unacceptable is <c>invalid_request</c>, as RFC 8693 §2.2.2 requires.
/// </summary>
public sealed class AccessTokenExchange(IWritStore store, TaskTokenValidator tasks, KeyRing keys, ITokenServiceEndpoints endpoints, IAuditLog audit, TimeProvider time)
{
    /// <summary>The token type RFC 9068 access tokens carry.</summary>
    public const string Typ = "at+jwt";

    /// <summary>The RFC 8693 token type identifier of an access token.</summary>
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    /// <summary>The longest an access token lives.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    private const int MaxResourceLength = 2048;

    /// <summary>True for token exchanges this service answers: a task token as subject, a resource, and no actor or new intent (those are delegations).</summary>
    public static bool Handles(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.TryGetValue("grant_type", out var grant) && grant == TokenTypes.TokenExchangeGrant
            && parameters.TryGetValue("subject_token_type", out var type) && type == TokenTypes.TaskToken
            && parameters.ContainsKey("resource")
            && !parameters.ContainsKey("actor_token") && !parameters.ContainsKey("authorization_details");
    }

    /// <summary>Issues the access token, or says why not (RFC 6749 §5.2 and RFC 8707 errors).</summary>
    public async Task<OAuthResult<IssuedAccessToken>> ExchangeAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.TryGetValue("requested_token_type", out var requested) && requested != AccessTokenType)
        {
            return new OAuthError(OAuthError.InvalidRequest, "'requested_token_type' must be " + AccessTokenType);
        }

        if (!parameters.TryGetValue("resource", out var resource) || !IsResource(resource))
        {
            return new OAuthError(OAuthError.InvalidTarget, "'resource' must be an absolute https URI (http only on loopback) without a fragment");
        }

        var validated = await tasks.ValidateAsync(parameters.GetValueOrDefault("subject_token"), null, cancellationToken);
        if (validated.Claims is not { } claims)
        {
            return new OAuthError(OAuthError.InvalidRequest, "the subject token is not a valid task token: " + validated.Error);
        }

        if (claims.Jkt is not null)
        {
            // A sender-constrained task token must not buy a bearer token for another audience.
            return new OAuthError(OAuthError.InvalidRequest, "the task token is DPoP-bound; resource access tokens are issued for bearer task tokens only");
        }

        var now = time.GetUtcNow();

        // Revoking one task token's jti leaves its task active, so the token itself must be checked.
        if (await store.Revocations.IsRevokedAsync(claims.Jti, now, cancellationToken))
        {
            return new OAuthError(OAuthError.InvalidRequest, "the subject token was revoked");
        }

        var task = await store.Tasks.GetAsync(claims.TaskId, cancellationToken);
        if (task is null || task.State != TaskState.Active || task.ExpiresAt <= now)
        {
            return new OAuthError(OAuthError.InvalidRequest, "the subject token's task is no longer active");
        }

        var tools = claims.Intent.Tools.Where(t => t.Targets.Contains(resource, StringComparer.Ordinal)).Select(t => t.Tool).Distinct(StringComparer.Ordinal).ToList();
        if (parameters.TryGetValue("scope", out var scopeText))
        {
            var asked = scopeText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (asked.Length == 0 || asked.Any(s => !tools.Contains(s, StringComparer.Ordinal)))
            {
                return new OAuthError("invalid_scope", "'scope' may only name tools the task was granted for this resource");
            }

            tools = [.. asked.Distinct(StringComparer.Ordinal)];
        }

        if (tools.Count == 0)
        {
            return new OAuthError(OAuthError.InvalidTarget, "the task was granted no tool with this resource as a target");
        }

        var expiresAt = LeaseLimits.Min(now + MaxLifetime, LeaseLimits.Min(task.ExpiresAt, claims.ExpiresAt));
        var jti = RandomToken.Create(16);
        var scope = string.Join(' ', tools);
        var lease = Lease.Issue("lse_" + RandomToken.Create(16), LeaseKind.AccessToken, task.Id, claims.AgentName, claims.Owner, null, jti, now, expiresAt, expiresAt);
        var token = await SignAsync(claims, resource, scope, jti, now, expiresAt, cancellationToken);
        await store.Leases.AddAsync(lease, cancellationToken);
        await audit.RecordDurableAsync(
            new AuditEvent
            {
                Type = AuditEventTypes.LeaseIssued,
                Agent = claims.ActingAgent,
                Owner = claims.Owner,
                TaskId = task.Id,
                Chain = claims.Chain,
                Target = resource,
                Decision = "issued",
                Detail = new Dictionary<string, string>
                {
                    ["lease"] = lease.Id,
                    ["kind"] = LeaseNames.Of(LeaseKind.AccessToken),
                    ["jti"] = jti,
                    ["scope"] = scope,
                    ["expiresAt"] = expiresAt.ToString("O", CultureInfo.InvariantCulture),
                },
            },
            cancellationToken);
        return new IssuedAccessToken(token, lease, scope, Math.Max(0, (long)(expiresAt - now).TotalSeconds));
    }

    private static bool IsResource(string value) =>
        value.Length <= MaxResourceLength
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    private async Task<string> SignAsync(TaskTokenClaims claims, string resource, string scope, string jti, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var credentials = await keys.GetSigningCredentialsAsync(cancellationToken);
        if (credentials.Key is not ECDsaSecurityKey { ECDsa: { } signer, KeyId: { Length: > 0 } kid })
        {
            throw new KeyRingException("the active signing key is not an ES256 key");
        }

        var header = Base64Url.EncodeToString(Json(w =>
        {
            w.WriteString("alg", "ES256");
            w.WriteString("kid", kid);
            w.WriteString("typ", Typ);
        }));
        var payload = Base64Url.EncodeToString(Json(w =>
        {
            w.WriteString("iss", endpoints.Issuer);
            w.WriteString("sub", claims.Subject);
            w.WriteString("aud", resource);
            w.WriteString("client_id", claims.ActingAgent);
            w.WriteString("scope", scope);
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteNumber("exp", expiresAt.ToUnixTimeSeconds());
            w.WriteString("jti", jti);
            w.WriteString(TaskTokenTypes.TaskIdClaim, claims.TaskId);
            w.WriteString(TaskTokenTypes.OwnerClaim, claims.Owner);
        }));
        var input = header + "." + payload;
        var signature = signer.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
