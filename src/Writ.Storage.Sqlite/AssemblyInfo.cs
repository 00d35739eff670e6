namespace Writ.Storage.Sqlite;

internal static class SqliteAssembly;
