using Npgsql;

namespace Writ.Storage.Postgres;

/// <summary>
/// Repeats an operation once when its session broke under it: a pooled connection that the server
/// closed while it sat idle (after a restart or failover), or a session ended by an administrator.
/// Npgsql hands such a connection out unchecked and empties the pool only once one fails, so
/// without this the first request after every restart would fail.
/// </summary>
/// <remarks>
/// A retry is safe for every store operation: a broken session has rolled its transaction back, and
/// in the rare case where the commit completed just before the session died, the repeated
/// operation finds its own write and answers as for a second caller (a join token already
/// consumed, a jti already seen, a name already taken), which refuses rather than grants.
/// Failures to connect are not retried: while the server is down every request fails at once.
/// </remarks>
internal static class BrokenConnectionRetry
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (NpgsqlException ex) when (IsBrokenSession(ex))
        {
            return await operation();
        }
    }

    public static async Task RunAsync(Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (NpgsqlException ex) when (IsBrokenSession(ex))
        {
            await operation();
        }
    }

    private static bool IsBrokenSession(NpgsqlException exception) =>
        exception switch
        {
            // admin_shutdown (server stopping, or pg_terminate_backend), crash_shutdown.
            PostgresException { SqlState: "57P01" or "57P02" } => true,
            PostgresException => false,
            
            // Reading or writing a closed socket; a refused connection (SocketException) is not here.
            _ => exception.InnerException is IOException or EndOfStreamException,
        };
}
