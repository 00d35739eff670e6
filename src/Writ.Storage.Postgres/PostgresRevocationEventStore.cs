using Npgsql;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresRevocationEventStore(NpgsqlDataSource database) : IRevocationEventStore
{
    private readonly NpgsqlDataSource _database = database;
}
