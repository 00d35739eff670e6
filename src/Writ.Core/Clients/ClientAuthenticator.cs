using System.Buffers.Text;
using System.Text;
using Writ.Core.Domain;
using Writ.Core.Identity;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Clients;

/// <summary>
/// Authenticates a registered client by exactly one of <c>client_secret_basic</c>, <c>client_secret_post</c>
/// or <c>private_key_jwt</c> (RFC 7523 client assertion: <c>iss</c> = <c>sub</c> = client id, <c>aud</c> the
/// endpoint, token endpoint or issuer, short-lived, unique <c>jti</c>). Failures are all <c>invalid_client</c>.
/// </summary>
public sealed class ClientAuthenticator(IWritStore store, ITokenServiceEndpoints endpoints, IdentityTokenOptions options, TimeProvider time)
{
    private const int MaxSecretLength = 512;
    private static readonly string?[] AssertionTypes = [null, "JWT"];

    /// <summary>
    /// The authenticated client; <see cref="ClientAuthentication.Presented"/> is false when the request carried no
    /// client credentials at all, a bare <c>client_id</c> included (which some endpoints accept).
    /// </summary>
    public async Task<ClientAuthentication> AuthenticateAsync(string? authorizationHeader, IReadOnlyDictionary<string, string> parameters, string endpointUrl, CancellationToken cancellationToken)
    {
        var basic = authorizationHeader is not null && authorizationHeader.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
        var post = parameters.ContainsKey("client_secret");
        var assertion = parameters.ContainsKey("client_assertion") || parameters.ContainsKey("client_assertion_type");
        var methods = (basic ? 1 : 0) + (post ? 1 : 0) + (assertion ? 1 : 0);
        if (methods == 0)
        {
            // A client_id alone is the public-client form (RFC 6749 §2.3, method "none"): it identifies but proves
            // nothing, so it is not trusted or looked up (which would tell callers which clients exist). Endpoints
            // that need a client refuse it like no credentials at all; revocation needs only the token itself.
            return ClientAuthentication.None;
        }

        if (methods > 1)
        {
            return ClientAuthentication.Fail(OAuthError.Request("use exactly one client authentication method"));
        }

        if (assertion)
        {
            return await AssertionAsync(parameters, endpointUrl, cancellationToken);
        }

        string? clientId;
        string? secret;
        if (basic)
        {
            if (!TryDecodeBasic(authorizationHeader!["Basic ".Length..].Trim(), out clientId, out secret))
            {
                return ClientAuthentication.Fail(OAuthError.Client("the Basic authorization header is malformed"));
            }

            if (parameters.TryGetValue("client_id", out var formId) && formId != clientId)
            {
                return ClientAuthentication.Fail(OAuthError.Request("'client_id' differs from the authenticated client"));
            }
        }
        else
        {
            parameters.TryGetValue("client_id", out clientId);
            parameters.TryGetValue("client_secret", out secret);
        }

        return await SecretAsync(clientId, secret, cancellationToken);
    }

    private async Task<ClientAuthentication> SecretAsync(string? clientId, string? secret, CancellationToken cancellationToken)
    {
        if (!ResourceName.IsValid(clientId) || string.IsNullOrEmpty(secret) || secret.Length > MaxSecretLength)
        {
            return ClientAuthentication.Fail(OAuthError.Client("client authentication failed"));
        }

        var client = await store.Clients.GetAsync(clientId!, cancellationToken);
        var hash = SecretHash.Compute(secret);
        if (client is not { Disabled: false, AuthMethod: ClientAuthMethod.ClientSecret, SecretHash: { } stored } || !ConstantTime.EqualsAscii(hash, stored))
        {
            return ClientAuthentication.Fail(OAuthError.Client("client authentication failed"));
        }

        return ClientAuthentication.Success(client);
    }

    private async Task<ClientAuthentication> AssertionAsync(IReadOnlyDictionary<string, string> parameters, string endpointUrl, CancellationToken cancellationToken)
    {
        if (!parameters.TryGetValue("client_assertion_type", out var type) || type != TokenTypes.ClientAssertionJwtBearer)
        {
            return ClientAuthentication.Fail(OAuthError.Client($"'client_assertion_type' must be {TokenTypes.ClientAssertionJwtBearer}"));
        }

        parameters.TryGetValue("client_assertion", out var text);
        var token = JoseHeaderGuard.Read(text, [.. AssertionAlgorithms.Supported], AssertionTypes, out var headerError);
        if (token is null)
        {
            return ClientAuthentication.Fail(OAuthError.Client(headerError!));
        }

        var clientId = token.Issuer;
        var subject = token.TryGetPayloadValue<string>("sub", out var sub) ? sub : null;
        if (!ResourceName.IsValid(clientId) || subject != clientId)
        {
            return ClientAuthentication.Fail(OAuthError.Client("the client assertion's 'iss' and 'sub' must both be the client id"));
        }

        if (parameters.TryGetValue("client_id", out var formId) && formId != clientId)
        {
            return ClientAuthentication.Fail(OAuthError.Request("'client_id' differs from the client assertion's issuer"));
        }

        var client = await store.Clients.GetAsync(clientId, cancellationToken);
        if (client is not { Disabled: false, AuthMethod: ClientAuthMethod.PrivateKeyJwt, Jwks: { } jwks }
            || ParsedKeyCache.KeySet(jwks) is not { } keys
            || !keys.TryGetValue(token.Kid, out var key))
        {
            return ClientAuthentication.Fail(OAuthError.Client("client authentication failed"));
        }

        var audiences = new[] { endpointUrl, endpoints.TokenEndpoint, endpoints.Issuer };
        var parametersForValidation = JwtValidation.Parameters(clientId, audiences, AssertionAlgorithms.Supported, key, time, options.ClockSkew);
        if (await JwtValidation.ValidateAsync(token, parametersForValidation) is { } invalid)
        {
            return ClientAuthentication.Fail(OAuthError.Client(invalid));
        }

        if (AssertionLifetime.Check(token, time.GetUtcNow(), options) is { } lifetimeError)
        {
            return ClientAuthentication.Fail(OAuthError.Client(lifetimeError));
        }

        if (!await store.ReplayCache.TryRecordAsync("client:" + client.Name, token.Id, AssertionLifetime.Expiry(token) + options.ClockSkew, cancellationToken))
        {
            return ClientAuthentication.Fail(OAuthError.Client("the client assertion has already been used (replayed 'jti')"));
        }

        return ClientAuthentication.Success(client);
    }

    /// <summary>RFC 6749 §2.3.1: id and secret are form-encoded, then joined by ':' and base64-encoded.</summary>
    private static bool TryDecodeBasic(string encoded, out string? clientId, out string? secret)
    {
        clientId = null;
        secret = null;
        if (encoded.Length > 2048 || !Base64.IsValid(encoded))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(encoded));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        clientId = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
        secret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
        return true;
    }
}

/// <summary>The outcome of client authentication.</summary>
/// <param name="Presented">False when the request carried no client credentials.</param>
/// <param name="Client">The authenticated client, when authentication succeeded.</param>
/// <param name="Error">Why authentication failed.</param>
public sealed record ClientAuthentication(bool Presented, Client? Client, OAuthError? Error)
{
    /// <summary>No credentials were presented.</summary>
    public static ClientAuthentication None { get; } = new(false, null, null);

    internal static ClientAuthentication Success(Client client) => new(true, client, null);

    internal static ClientAuthentication Fail(OAuthError error) => new(true, null, error);
}
