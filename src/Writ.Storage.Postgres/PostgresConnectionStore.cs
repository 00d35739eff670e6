using Npgsql;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresConnectionStore(NpgsqlDataSource database) : IConnectionStore
{
    private readonly NpgsqlDataSource _database = database;
}
