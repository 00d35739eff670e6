using Npgsql;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresAuditStore(NpgsqlDataSource database) : IAuditStore
{
    private readonly NpgsqlDataSource _database = database;
}
