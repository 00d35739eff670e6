namespace Writ.Cli.Api;

// The server could not be reached at all: nothing listens there, the name does not resolve, or it did not answer in time.
internal sealed class ServerUnreachableException : Exception
{
    public ServerUnreachableException()
    {
    }

    public ServerUnreachableException(string message)
        : base(message)
    {
    }

    public ServerUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
