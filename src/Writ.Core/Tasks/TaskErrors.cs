namespace Writ.Core.Tasks;

/// <summary>OAuth error codes for task and delegation requests beyond RFC 6749's.</summary>
public static class TaskErrors
{
    /// <summary>RFC 9396: the authorization details are malformed, unknown, or ask for more than may be granted.</summary>
    public const string InvalidAuthorizationDetails = "invalid_authorization_details";

    /// <summary>Policy refused the request (a Delegate decision, the delegation depth).</summary>
    public const string AccessDenied = "access_denied";
}
