using Npgsql;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresLeaseStore(NpgsqlDataSource database) : ILeaseStore
{
    private readonly NpgsqlDataSource _database = database;
}
