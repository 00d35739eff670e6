using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteLeaseStore(SqliteDatabase database) : ILeaseStore
{
    private readonly SqliteDatabase _database = database;
}
