using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteRevocationEventStore(SqliteDatabase database) : IRevocationEventStore
{
    private readonly SqliteDatabase _database = database;
}
