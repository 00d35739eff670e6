namespace Writ.Cli.Demo;

// Something the demo needs is missing or broke; the message says what and how to fix it.
internal sealed class DemoException : Exception
{
    public DemoException()
    {
    }

    public DemoException(string message)
        : base(message)
    {
    }

    public DemoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
