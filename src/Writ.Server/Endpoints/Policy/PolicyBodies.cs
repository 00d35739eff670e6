using System.Text.Json;

namespace Writ.Server.Endpoints.Policy;

internal sealed record PolicyFileBody(string Name, string Text);

internal sealed record PolicySetBody(PolicyFileBody[]? Files, string? Description, bool? Activate);

internal sealed record NamedStoreBody(string Name);

internal sealed record StoreSchemaBody(string? Schema, string? Format);

internal sealed record StorePoliciesBody(PolicyFileBody[]? Files);

internal sealed record StoreEntitiesBody(JsonElement Entities);

internal sealed record PdpClientBody(string Client);
