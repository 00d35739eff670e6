using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteConnectionStore(SqliteDatabase database) : IConnectionStore
{
    private readonly SqliteDatabase _database = database;
}
