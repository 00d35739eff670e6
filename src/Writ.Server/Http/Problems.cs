using Writ.Core.Admin;

namespace Writ.Server.Http;

/// <summary>Problem details for the admin API.</summary>
internal static class Problems
{
    public static ProblemResult Invalid(string code, string detail, int status = StatusCodes.Status400BadRequest) =>
        new(status, code, status switch
        {
            StatusCodes.Status413PayloadTooLarge => "Request body too large",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
            _ => "Invalid request",
        }, detail);

    public static ProblemResult Unauthorized() =>
        new(StatusCodes.Status401Unauthorized, "unauthorized", "Admin token required", "present a valid admin token: Authorization: Bearer <token>");

    public static ProblemResult NotFound(string detail) =>
        new(StatusCodes.Status404NotFound, "not_found", "Not found", detail);

    public static ProblemResult From(AdminError error) => error.Kind switch
    {
        AdminErrorKind.Invalid => new ProblemResult(StatusCodes.Status400BadRequest, error.Code, "Invalid request", error.Detail),
        AdminErrorKind.Forbidden => new ProblemResult(StatusCodes.Status403Forbidden, error.Code, "Forbidden", error.Detail),
        AdminErrorKind.NotFound => new ProblemResult(StatusCodes.Status404NotFound, error.Code, "Not found", error.Detail),
        _ => new ProblemResult(StatusCodes.Status409Conflict, error.Code, "Conflict", error.Detail),
    };
}
