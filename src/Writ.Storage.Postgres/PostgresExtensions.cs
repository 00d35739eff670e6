using Npgsql;
using NpgsqlTypes;

namespace Writ.Storage.Postgres;

/// <summary>Parameterized commands, typed column reads and the error classes the stores map to outcomes.</summary>
internal static class PostgresExtensions
{
    private const string UniqueViolation = "23505";
    private const string ForeignKeyViolation = "23503";

    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        connection.Command(null, sql, parameters);

    public static NpgsqlCommand Command(this NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value switch
            {
                JsonText json => new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = json.Text },
                DateTimeOffset time => new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = time.ToDb() },
                null => new NpgsqlParameter(name, DBNull.Value),
                _ => new NpgsqlParameter(name, value),
            });
        }

        return command;
    }

    /// <summary>
    /// The instant as UTC, truncated to whole microseconds: PostgreSQL keeps microseconds, and
    /// truncating here (as the SQLite provider does) makes both providers store the same value.
    /// </summary>
    public static DateTimeOffset ToDb(this DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    public static DateTimeOffset GetTime(this NpgsqlDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? GetNullableTime(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetTime(ordinal);

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static bool IsUniqueViolation(this PostgresException exception) => exception.SqlState == UniqueViolation;

    public static bool IsForeignKeyViolation(this PostgresException exception) => exception.SqlState == ForeignKeyViolation;
}
