using System.Text.Json;
using Writ.Core.Connections;

namespace Writ.Server.Endpoints.Connections;

internal sealed record ConnectionBody(
    string? Name,
    string? Owner,
    string? Kind,
    string? Secret,
    string? HeaderName,
    string? Scheme,
    string? TokenEndpoint,
    string? ClientId,
    IReadOnlyList<string>? Scopes,
    string? AuthMethod,
    string? Host,
    int? Port,
    string? Database,
    string? AdminUser,
    IReadOnlyList<GrantRule>? Grants,
    JsonElement? MaxLeaseDuration,
    IReadOnlyDictionary<string, string>? Metadata,
    string? Audience = null);

internal sealed record RotateSecretBody(string? Secret);
