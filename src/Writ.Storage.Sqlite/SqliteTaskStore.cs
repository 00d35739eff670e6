using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteTaskStore(SqliteDatabase database) : ITaskStore
{
    private readonly SqliteDatabase _database = database;
}
