using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqlitePolicyStore(SqliteDatabase database) : IPolicyStore
{
    private readonly SqliteDatabase _database = database;
}
