namespace Writ.Sdk;

/// <summary>
/// Writ refused a request. <see cref="Error"/> is the stable error code (the OAuth <c>error</c>, e.g.
/// <c>invalid_grant</c>); the message is Writ's description of what was wrong.
/// </summary>
public class WritException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WritException()
        : this("unknown", "Writ refused the request")
    {
    }

    /// <summary>Creates the exception with a description.</summary>
    public WritException(string message)
        : this("unknown", message)
    {
    }

    /// <summary>Creates the exception with a description and its cause.</summary>
    public WritException(string message, Exception innerException)
        : base(message, innerException) => Error = "unknown";

    /// <summary>Creates the exception with an error code and Writ's description.</summary>
    public WritException(string error, string description, int? statusCode = null)
        : base(description) => (Error, StatusCode) = (error, statusCode);

    /// <summary>The stable error code.</summary>
    public string Error { get; }

    /// <summary>The HTTP status of the refusal, when it came from a response.</summary>
    public int? StatusCode { get; }
}
