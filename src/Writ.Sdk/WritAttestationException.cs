namespace Writ.Sdk;

/// <summary>
/// The agent could not get an identity token: its attestation was refused (used or expired join token,
/// unregistered key, suspended agent, untrusted external token) or no method is left to renew with.
/// </summary>
public sealed class WritAttestationException : WritException
{
    /// <summary>Creates the exception.</summary>
    public WritAttestationException()
    {
    }

    /// <summary>Creates the exception with a description.</summary>
    public WritAttestationException(string message)
        : base("invalid_grant", message)
    {
    }

    /// <summary>Creates the exception with a description and its cause.</summary>
    public WritAttestationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with an error code and Writ's description.</summary>
    public WritAttestationException(string error, string description, int? statusCode = null)
        : base(error, description, statusCode)
    {
    }
}
