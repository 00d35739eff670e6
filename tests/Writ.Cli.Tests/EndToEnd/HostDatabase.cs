namespace Writ.Cli.Tests.EndToEnd;

// One host's store: the variables that point `writ` at it, and how to remove it once the host is gone.
internal sealed class HostDatabase(IReadOnlyDictionary<string, string> environment, Func<Task> drop, string? connectionString = null) : IAsyncDisposable
{
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    // Null for SQLite, whose file lives in the data directory.
    public string? ConnectionString { get; } = connectionString;

    public async ValueTask DisposeAsync() => await drop();
}
