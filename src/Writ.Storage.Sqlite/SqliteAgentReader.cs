using Microsoft.Data.Sqlite;
using Writ.Core.Domain;

namespace Writ.Storage.Sqlite;

/// <summary>
/// One connection with the agent-by-name query prepared once, for the token endpoint's hot path. Each read
/// is its own autocommit statement, so it sees every committed change (another process's suspension
/// included) at once: this reuses a statement, it caches no data.
/// </summary>
internal sealed class SqliteAgentReader : IAsyncDisposable
{
    public const string ByNameSql =
        "SELECT a.name, a.spiffe_id, a.owner, a.status, a.attestation_methods, a.metadata, a.created_at, a.updated_at, " +
        "k.kid, k.thumbprint, k.jwk, k.added_at FROM agents a LEFT JOIN agent_keys k ON k.agent = a.name " +
        "WHERE a.name = @value ORDER BY k.added_at, k.kid;";

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _command;
    private readonly SqliteParameter _name;

    private SqliteAgentReader(SqliteConnection connection)
    {
        _connection = connection;
        _command = connection.CreateCommand();
        _command.CommandText = ByNameSql;
        _name = _command.Parameters.Add("@value", SqliteType.Text);
        _command.Prepare();
    }

    public static async Task<SqliteAgentReader> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            return new SqliteAgentReader(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<Agent?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        _name.Value = name;
        await using var reader = await _command.ExecuteReaderAsync(cancellationToken);
        return await SqliteAgentStore.ReadOneAsync(reader, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _command.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
