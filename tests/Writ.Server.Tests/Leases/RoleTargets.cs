using Npgsql;

namespace Writ.Server.Tests.Leases;

/// <summary>Setup and checks done as the test cluster's superuser.</summary>
internal static class RoleTargets
{
    public static object Connection(string superuserConnectionString, string name, string maxLeaseDuration = "PT30M")
    {
        var builder = new NpgsqlConnectionStringBuilder(superuserConnectionString);
        return new
        {
            name,
            owner = "alice",
            kind = "postgres_admin",
            secret = builder.Password,
            host = builder.Host,
            port = builder.Port,
            database = builder.Database,
            adminUser = builder.Username,
            grants = new[] { new { schema = "public", tables = new[] { "orders" }, privileges = new[] { "SELECT" } } },
            maxLeaseDuration,
        };
    }

    public static async Task CreateTablesAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await ScalarAsync(connection, "CREATE TABLE public.orders (id int); INSERT INTO public.orders VALUES (1), (2); CREATE TABLE public.payroll (salary int);", cancellationToken);
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public static async Task<bool> RoleExistsAsync(string connectionString, string role, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_roles WHERE rolname = @role", connection);
        command.Parameters.AddWithValue("role", role);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public static async Task<DateTimeOffset> ValidUntilAsync(string connectionString, string role, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT rolvaliduntil FROM pg_roles WHERE rolname = @role", connection);
        command.Parameters.AddWithValue("role", role);
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync(cancellationToken))!, TimeSpan.Zero);
    }
}
