using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteAuditStore(SqliteDatabase database) : IAuditStore
{
    private readonly SqliteDatabase _database = database;
}
