using Writ.Core.Policy;
using Writ.Server.Endpoints.Admin;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.Policy;

/// <summary>The admin API for named policy stores under <c>/admin/v1/policy-stores</c> and for PDP clients.</summary>
internal static class NamedStoreEndpoints
{
    public static void Map(WebApplication app)
    {
        var admin = app.MapGroup("/admin/v1").RequireAdminToken();

        admin.MapPost("/policy-stores", async (HttpContext http, NamedStoreAdmin stores) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<NamedStoreBody>(http.Request, 4096);
            return error ?? Respond(await stores.CreateAsync(http.Caller(), body!.Name, http.RequestAborted), StatusCodes.Status201Created);
        });
        admin.MapGet("/policy-stores", async (HttpContext http, NamedStoreAdmin stores) =>
            Results.Json(new { items = (await stores.ListAsync(http.RequestAborted)).Select(PolicyViews.StoreInfo).ToArray() }, JsonRequest.Options));
        admin.MapGet("/policy-stores/{name}", async (string name, HttpContext http, NamedStoreAdmin stores) =>
        {
            long? version = null;
            if (http.Request.Query.TryGetValue("version", out var text))
            {
                if (text.Count != 1 || !PolicySetEndpoints.TryVersion(text[0]!, out var number))
                {
                    return Problems.Invalid("invalid_version", "'version' must be one positive whole number");
                }

                version = number;
            }

            return Respond(await stores.GetAsync(name, version, http.RequestAborted), StatusCodes.Status200OK);
        });
        admin.MapGet("/policy-stores/{name}/versions", async (string name, HttpContext http, NamedStoreAdmin stores) =>
        {
            var versions = await stores.HistoryAsync(name, http.RequestAborted);
            return versions.Count == 0
                ? Problems.NotFound($"there is no policy store named '{name}'")
                : Results.Json(new { items = versions.Select(PolicyViews.StoreInfo).ToArray() }, JsonRequest.Options);
        });
        admin.MapPut("/policy-stores/{name}/schema", async (string name, HttpContext http, NamedStoreAdmin stores) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<StoreSchemaBody>(http.Request, PolicySetEndpoints.MaxPolicyBytes);
            return error ?? Respond(await stores.PutSchemaAsync(http.Caller(), name, body!.Schema, body.Format, http.RequestAborted), StatusCodes.Status200OK);
        });
        admin.MapPut("/policy-stores/{name}/entities", async (string name, HttpContext http, NamedStoreAdmin stores) =>
        {
            var (body, error) = await EntitiesBody.ReadAsync(http.Request);
            return error ?? Respond(await stores.PutEntitiesAsync(http.Caller(), name, body!.Value, http.RequestAborted), StatusCodes.Status200OK);
        });
        admin.MapPut("/policy-stores/{name}/policies", async (string name, HttpContext http, NamedStoreAdmin stores) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<StorePoliciesBody>(http.Request, PolicySetEndpoints.MaxPolicyBytes);
            if (error is not null)
            {
                return error;
            }

            if (PolicySetEndpoints.ReadFiles(body!.Files) is not { } files)
            {
                return Problems.Invalid("invalid_files", "'files' must be a non-empty array of {\"name\": \"<file>.cedar\", \"text\": \"...\"}");
            }

            return Respond(await stores.PutPoliciesAsync(http.Caller(), name, files, http.RequestAborted), StatusCodes.Status200OK);
        });

        admin.MapPost("/pdp-clients", async (HttpContext http, PdpClientAdmin clients) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<PdpClientBody>(http.Request, 4096);
            if (error is not null)
            {
                return error;
            }

            var result = await clients.GrantAsync(http.Caller(), body!.Client, http.RequestAborted);
            return result.Succeeded ? Results.Json(PolicyViews.PdpClient(result.Value!), JsonRequest.Options, statusCode: StatusCodes.Status201Created) : Problems.From(result.Error!);
        });
        admin.MapGet("/pdp-clients", async (HttpContext http, PdpClientAdmin clients) =>
            Results.Json(new { items = (await clients.ListAsync(http.RequestAborted)).Select(PolicyViews.PdpClient).ToArray() }, JsonRequest.Options));
        admin.MapDelete("/pdp-clients/{client}", async (string client, HttpContext http, PdpClientAdmin clients) =>
        {
            var error = await clients.RevokeAsync(http.Caller(), client, http.RequestAborted);
            return error is null ? Results.NoContent() : Problems.From(error);
        });
    }

    private static IResult Respond(NamedStoreResult result, int status)
    {
        if (result.Error is not null)
        {
            return Problems.From(result.Error);
        }

        if (result.Errors.Count > 0)
        {
            return new PolicyProblemResult(result.Errors, result.Warnings);
        }

        return Results.Json(PolicyViews.Store(result.Store!), JsonRequest.Options, statusCode: status);
    }

    private sealed record EntitiesBody(System.Text.Json.JsonElement Value)
    {
        // The entities are Cedar entities JSON, deeper than the admin API's usual depth limit allows.
        public static async Task<(EntitiesBody? Body, IResult? Error)> ReadAsync(HttpRequest request)
        {
            if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return (null, Problems.Invalid("unsupported_media_type", "the body must be JSON (Content-Type: application/json)", StatusCodes.Status415UnsupportedMediaType));
            }

            var bytes = await BodyReader.ReadAsync(request, NamedStoreAdmin.MaxEntitiesLength, request.HttpContext.RequestAborted);
            if (bytes is null)
            {
                return (null, Problems.Invalid("body_too_large", $"the request body is larger than {NamedStoreAdmin.MaxEntitiesLength} bytes", StatusCodes.Status413PayloadTooLarge));
            }

            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(bytes, new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 });
                if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object || !doc.RootElement.TryGetProperty("entities", out var entities) || doc.RootElement.EnumerateObject().Count() != 1)
                {
                    return (null, Problems.Invalid("invalid_json", "the body must be {\"entities\": [ ... Cedar entities ... ]}"));
                }

                return (new EntitiesBody(entities.Clone()), null);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return (null, Problems.Invalid("invalid_json", "the body is not valid JSON: " + ex.Message.Split(". ")[0]));
            }
        }
    }
}
