using System.Buffers.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Writ.Core.Domain;
using Writ.Core.Identity;
using Writ.Core.Keys;

namespace Writ.Core.Tasks;

/// <summary>
/// Validates task tokens offline: a compact JWS, ES256 by a published Writ key, <c>typ</c>
/// <c>writ-task+jwt</c>, Writ's issuer, the expected audience, unexpired, and well-formed task claims.
/// It does not look at the task's state; the decider and the lifecycle endpoints do.
/// </summary>
public sealed class TaskTokenValidator
{
    private const int MaxActDepth = 18;
    private static readonly string[] Algorithms = ["ES256"];
    private static readonly string?[] Types = [TaskTokenTypes.Typ];
    private static readonly string[] ValidTypes = [TaskTokenTypes.Typ];

    private readonly Func<string, CancellationToken, ValueTask<SecurityKey?>> findKey;
    private readonly Func<string> issuer;
    private readonly TrustDomain trustDomain;
    private readonly TimeProvider time;

    /// <summary>Creates the validator.</summary>
    public TaskTokenValidator(KeyRing keys, ITokenServiceEndpoints endpoints, TrustDomain trustDomain, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(endpoints);
        findKey = async (kid, cancellationToken) => (await keys.GetValidationKeysAsync(cancellationToken)).FirstOrDefault(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));
        issuer = () => endpoints.Issuer;
        this.trustDomain = trustDomain;
        this.time = time;
    }

    /// <summary>
    /// Creates a validator for an enforcement point outside Writ (the gateway): <paramref name="findKey"/>
    /// finds a published Writ key by <c>kid</c> (from Writ's JWKS), and <paramref name="issuer"/> is pinned.
    /// </summary>
    public TaskTokenValidator(string issuer, Func<string, CancellationToken, ValueTask<SecurityKey?>> findKey, TrustDomain trustDomain, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentNullException.ThrowIfNull(findKey);
        this.findKey = findKey;
        this.issuer = () => issuer;
        this.trustDomain = trustDomain;
        this.time = time;
    }

    /// <summary>
    /// The claims when <paramref name="token"/> is a valid, unexpired task token for <paramref name="audience"/>
    /// (any audience when null: only for Writ's own endpoints, which check the audience against the stored task).
    /// </summary>
    public async Task<TaskTokenResult> ValidateAsync(string? token, string? audience, CancellationToken cancellationToken)
    {
        var jwt = JoseHeaderGuard.Read(token, Algorithms, Types, out var headerError);
        if (jwt is null)
        {
            return TaskTokenResult.Fail(headerError!);
        }

        var key = string.IsNullOrEmpty(jwt.Kid) ? null : await findKey(jwt.Kid, cancellationToken);
        if (key is null)
        {
            return TaskTokenResult.Fail("no published Writ key matches the token's 'kid'");
        }

        var parameters = JwtValidation.Parameters(issuer(), audience is null ? null : [audience], Algorithms, key, time, TimeSpan.Zero, ValidTypes);
        if (await JwtValidation.ValidateAsync(jwt, parameters) is { } invalid)
        {
            return TaskTokenResult.Fail(invalid);
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.EncodedPayload), new JsonDocumentOptions { MaxDepth = 64 });
            return Read(payload.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return TaskTokenResult.Fail("the token's payload is not a task token");
        }
    }

    private TaskTokenResult Read(JsonElement payload)
    {
        if (String(payload, "tid") is not { Length: > 0 } tid
            || String(payload, "jti") is not { Length: > 0 } jti
            || String(payload, "sub") is not { Length: > 0 } sub
            || String(payload, "aud") is not { Length: > 0 } aud
            || String(payload, TaskTokenTypes.OwnerClaim) is not { Length: > 0 } owner
            || !payload.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var issuedAt)
            || !payload.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expiresAt))
        {
            return TaskTokenResult.Fail("the token lacks a task claim (tid, jti, sub, aud, writ_owner, iat, exp)");
        }

        if (!payload.TryGetProperty("authorization_details", out var details) || details.ValueKind != JsonValueKind.Array || details.GetArrayLength() != 1)
        {
            return TaskTokenResult.Fail("the token carries no granted intent");
        }

        var intent = TaskIntentParser.Read(details[0], null);
        if (intent.Intent is null)
        {
            return TaskTokenResult.Fail("the token's intent is malformed: " + intent.Error);
        }

        var actors = new List<string>();
        if (payload.TryGetProperty("act", out var act))
        {
            while (true)
            {
                if (act.ValueKind != JsonValueKind.Object || String(act, "sub") is not { Length: > 0 } actor || actors.Count >= MaxActDepth)
                {
                    return TaskTokenResult.Fail("the token's 'act' claim is malformed");
                }

                actors.Add(actor);
                if (!act.TryGetProperty("act", out act))
                {
                    break;
                }
            }
        }

        TaskUser? user = null;
        if (payload.TryGetProperty(TaskTokenTypes.UserClaim, out var userClaim))
        {
            if (String(userClaim, "iss") is not { Length: > 0 } userIss || String(userClaim, "sub") is not { Length: > 0 } userSub)
            {
                return TaskTokenResult.Fail("the token's user claim is malformed");
            }

            user = new TaskUser(userIss, userSub);
        }

        // Without a user the subject is the agent that started the task; with one, every agent is an actor.
        var agents = new List<string>(actors);
        if (user is null)
        {
            agents.Add(sub);
        }

        if (agents.Count == 0)
        {
            return TaskTokenResult.Fail("the token names no acting agent");
        }

        var acting = agents[0];
        if (!SpiffeId.TryParse(acting, out var spiffeId, out _) || spiffeId.TrustDomain != trustDomain || !spiffeId.TryGetAgentName(out var agentName))
        {
            return TaskTokenResult.Fail("the token's acting agent is not an agent of this trust domain");
        }

        if (!payload.TryGetProperty(TaskTokenTypes.AttestationClaim, out var attestation) || String(attestation, "method") is not { Length: > 0 } method)
        {
            return TaskTokenResult.Fail("the token has no attestation claim");
        }

        string? jkt = null;
        if (payload.TryGetProperty("cnf", out var cnf))
        {
            jkt = String(cnf, "jkt");
            if (string.IsNullOrEmpty(jkt))
            {
                return TaskTokenResult.Fail("the token's 'cnf' claim is malformed");
            }
        }

        agents.RemoveAt(0);
        agents.Reverse();
        return TaskTokenResult.Ok(new TaskTokenClaims
        {
            TaskId = tid,
            Jti = jti,
            Audience = aud,
            Subject = sub,
            ActingAgent = acting,
            AgentName = agentName,
            Chain = agents,
            Owner = owner,
            Intent = intent.Intent,
            User = user,
            Attestation = new TaskAttestation(method, String(attestation, "issuer")),
            ParentTaskId = String(payload, TaskTokenTypes.ParentClaim),
            Jkt = jkt,
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(issuedAt),
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(expiresAt),
            Actors = actors,
        });
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Validated task token claims, or why the token was rejected.</summary>
/// <param name="Claims">The claims when valid.</param>
/// <param name="Error">Why not, in words safe to return.</param>
public sealed record TaskTokenResult(TaskTokenClaims? Claims, string? Error)
{
    internal static TaskTokenResult Ok(TaskTokenClaims claims) => new(claims, null);

    internal static TaskTokenResult Fail(string error) => new(null, error);
}
