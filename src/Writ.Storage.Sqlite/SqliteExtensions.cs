using Microsoft.Data.Sqlite;

namespace Writ.Storage.Sqlite;

/// <summary>Parameterized commands and typed column reads.</summary>
internal static class SqliteExtensions
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    public static SqliteCommand Command(this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static SqliteCommand Command(this SqliteConnection connection, SqliteTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.Command(sql, parameters);
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Microseconds since the Unix epoch: the precision PostgreSQL keeps too.</summary>
    public static long ToDb(this DateTimeOffset value) => (value.UtcTicks - UnixEpochTicks) / 10;

    public static long? ToDb(this DateTimeOffset? value) => value?.ToDb();

    public static DateTimeOffset GetTime(this SqliteDataReader reader, int ordinal) =>
        new(UnixEpochTicks + (reader.GetInt64(ordinal) * 10), TimeSpan.Zero);

    public static DateTimeOffset? GetNullableTime(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetTime(ordinal);

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static bool IsUniqueViolation(this SqliteException exception) =>
        exception.SqliteExtendedErrorCode is SqliteErrorCodes.ConstraintUnique or SqliteErrorCodes.ConstraintPrimaryKey;

    public static bool IsForeignKeyViolation(this SqliteException exception) =>
        exception.SqliteExtendedErrorCode == SqliteErrorCodes.ConstraintForeignKey;

    private static class SqliteErrorCodes
    {
        public const int ConstraintForeignKey = 787;
        public const int ConstraintPrimaryKey = 1555;
        public const int ConstraintUnique = 2067;
    }
}
