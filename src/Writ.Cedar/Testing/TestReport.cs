namespace Writ.Cedar.Testing;

/// <summary>One failed check: which case, which request (or the validation verdict) and how it differed.</summary>
/// <param name="Case">The test file.</param>
/// <param name="Request">The request description, or <c>validation</c> for the verdict check.</param>
/// <param name="Difference">What was expected and what came out.</param>
public sealed record TestFailure(string Case, string Request, string Difference)
{
    /// <inheritdoc />
    public override string ToString() => $"FAIL {Case} [{Request}]: {Difference}";
}

/// <summary>The outcome of a conformance run.</summary>
public sealed class TestReport
{
    private readonly List<TestFailure> _failures = [];

    /// <summary>Checks that agreed.</summary>
    public int Passed { get; private set; }

    /// <summary>Checks that disagreed.</summary>
    public int Failed => _failures.Count;

    /// <summary>Test cases read.</summary>
    public int Cases { get; internal set; }

    /// <summary>The failures in order.</summary>
    public IReadOnlyList<TestFailure> Failures => _failures;

    /// <summary>The summary line, <c>N passed, M failed</c>.</summary>
    public string Summary => $"{Passed} passed, {Failed} failed";

    internal void Pass() => Passed++;

    internal void Fail(string testCase, string request, string difference) => _failures.Add(new TestFailure(testCase, request, difference));
}
