using Npgsql;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresTaskStore(NpgsqlDataSource database) : ITaskStore
{
    private readonly NpgsqlDataSource _database = database;
}
