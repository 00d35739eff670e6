using System.Globalization;
using Writ.Core.Policy;
using Writ.Server.Endpoints.Admin;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.Policy;

/// <summary>The admin API for Writ's own policy set: apply, list, show and activate versions (docs/guides/policies.md).</summary>
internal static class PolicySetEndpoints
{
    /// <summary>Largest policy upload: a set of many files is still text, but bigger than an ordinary admin body.</summary>
    public const long MaxPolicyBytes = 4 * 1024 * 1024;

    public static void Map(WebApplication app)
    {
        var admin = app.MapGroup("/admin/v1/policy-sets").RequireAdminToken();

        admin.MapPost("/", async (HttpContext http, PolicySetAdmin policies) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<PolicySetBody>(http.Request, MaxPolicyBytes);
            if (error is not null)
            {
                return error;
            }

            if (ReadFiles(body!.Files) is not { } files)
            {
                return Problems.Invalid("invalid_files", "'files' must be a non-empty array of {\"name\": \"<file>.cedar\", \"text\": \"...\"}");
            }

            var result = await policies.ApplyAsync(http.Caller(), files, body.Description, body.Activate ?? true, http.RequestAborted);
            return Respond(result, StatusCodes.Status201Created);
        });

        admin.MapGet("/", async (HttpContext http, PolicySetAdmin policies) =>
        {
            var (versions, active) = await policies.ListAsync(http.RequestAborted);
            return Results.Json(new { active = active?.Version, items = versions.Select(v => PolicyViews.SetInfo(v, active)).ToArray() }, JsonRequest.Options);
        });

        admin.MapGet("/{version}", async (string version, HttpContext http, PolicySetAdmin policies) =>
        {
            if (!TryVersion(version, out var number))
            {
                return Problems.Invalid("invalid_version", "the version must be a positive whole number");
            }

            var (set, active) = await policies.GetAsync(number, http.RequestAborted);
            return set is null
                ? Problems.NotFound($"there is no policy set version {number}; 'writ policy list' shows the stored versions")
                : Results.Json(PolicyViews.Set(set, active), JsonRequest.Options);
        });

        admin.MapPost("/{version}/activate", async (string version, HttpContext http, PolicySetAdmin policies) =>
        {
            if (!TryVersion(version, out var number))
            {
                return Problems.Invalid("invalid_version", "the version must be a positive whole number");
            }

            return Respond(await policies.ActivateAsync(http.Caller(), number, http.RequestAborted), StatusCodes.Status200OK);
        });
    }

    public static List<PolicyFile>? ReadFiles(PolicyFileBody[]? files)
    {
        if (files is not { Length: > 0 } || files.Any(f => f is null || f.Name is null || f.Text is null))
        {
            return null;
        }

        return [.. files.Select(f => new PolicyFile(f.Name, f.Text))];
    }

    public static bool TryVersion(string text, out long version) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0;

    private static IResult Respond(PolicyApplyResult result, int status)
    {
        if (result.Error is not null)
        {
            return Problems.From(result.Error);
        }

        if (result.Errors.Count > 0)
        {
            return new PolicyProblemResult(result.Errors, result.Warnings);
        }

        return Results.Json(PolicyViews.Applied(result), JsonRequest.Options, statusCode: status);
    }
}
