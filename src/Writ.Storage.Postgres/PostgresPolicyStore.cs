using Npgsql;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresPolicyStore(NpgsqlDataSource database) : IPolicyStore
{
    private readonly NpgsqlDataSource _database = database;
}
