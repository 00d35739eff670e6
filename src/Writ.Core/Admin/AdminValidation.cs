using Writ.Core.Domain;

namespace Writ.Core.Admin;

/// <summary>Field rules shared by the admin services.</summary>
internal static class AdminValidation
{
    public static AdminError? Name(string? value, string field) =>
        ResourceName.IsValid(value) ? null : AdminError.Invalid("invalid_" + field, $"'{field}' must be {ResourceName.Rule}");

    public static AdminError? Text(string? value, string field, int maxLength, bool required)
    {
        if (value is null)
        {
            return required ? AdminError.Invalid("missing_" + field, $"'{field}' is required") : null;
        }

        if (value.Length == 0 || value.Length > maxLength || value.Any(char.IsControl))
        {
            return AdminError.Invalid("invalid_" + field, $"'{field}' must be 1 to {maxLength} printable characters");
        }

        return null;
    }

    /// <summary>JWKS URIs must be https, except on loopback where tests and local issuers live.</summary>
    public static bool IsAcceptableJwksUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Fragment)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
