namespace Writ.Cli.Api;

// The server answered, and the answer was an error.
internal sealed class AdminApiException : Exception
{
    public AdminApiException()
        : this(new ApiProblem(0, null, null, null, null))
    {
    }

    public AdminApiException(string message)
        : this(new ApiProblem(0, message, null, null, null))
    {
    }

    public AdminApiException(string message, Exception innerException)
        : base(message, innerException) => Problem = new ApiProblem(0, message, null, null, null);

    public AdminApiException(ApiProblem problem)
        : base(problem.Describe()) => Problem = problem;

    public ApiProblem Problem { get; }
}
