using System.Text.Json.Nodes;
using Npgsql;
using Writ.Cli.Commands;
using Writ.Cli.Tests.EndToEnd;
using Writ.Cli.Tests.Support;
using Writ.Core.Audit;
using Writ.Storage.Postgres;
using Writ.Testing.Postgres;

namespace Writ.Cli.Tests.Audit;

// `writ audit verify --storage postgres` as a real process over a fresh database of the run's cluster.
public sealed class PostgresAuditVerifyTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private readonly AuditSigningKey _key = AuditSigningKey.Generate(AuditDataDirectory.Origin);
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("writ-audit-verify-pg-").FullName;
    private string _database = null!;
    private string _connectionString = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_database, _connectionString) = await cluster.CreateDatabaseAsync(Token);
        await using var store = new PostgresWritStore(_connectionString);
        await store.MigrateAsync(Token);
        await AuditDataDirectory.AppendLogAsync(store, _key, 60, 10, Token);
    }

    public async ValueTask DisposeAsync()
    {
        _key.Dispose();
        NpgsqlConnection.ClearAllPools();
        await cluster.DropDatabaseAsync(_database, CancellationToken.None);
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Fact]
    public async Task IntactLog_Verifies()
    {
        var result = await VerifyAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True((bool)JsonNode.Parse(result.Output)!["verified"]!);
    }

    [Fact]
    public async Task DeletedRecord_IsReportedAtItsSequence()
    {
        await ExecuteAsync("DELETE FROM audit_record WHERE seq = 17;");

        AssertFault(await VerifyAsync(), "deleted", 17);
    }

    [Fact]
    public async Task EditedRecord_IsReportedAtItsSequence()
    {
        await ExecuteAsync("UPDATE audit_record SET canonical = @bytes WHERE seq = 23;", AuditDataDirectory.Encode(23, "deny"));

        AssertFault(await VerifyAsync(), "edited", 23);
    }

    private Task<CliResult> VerifyAsync() =>
        WritProcess.RunAsync(
            _workingDirectory,
            new Dictionary<string, string> { ["WRIT_STORAGE__CONNECTION_STRING"] = _connectionString },
            "audit", "verify", "--storage", "postgres", "--key", _key.VerifierKey.ToString(), "--json");

    private async Task ExecuteAsync(string sql, byte[]? bytes = null)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(sql, connection);
        if (bytes is not null)
        {
            command.Parameters.AddWithValue("bytes", bytes);
        }

        await command.ExecuteNonQueryAsync(Token);
    }

    private static void AssertFault(CliResult result, string kind, long sequence)
    {
        Assert.True(result.ExitCode == AuditVerifyCommand.VerificationFailed, result.ToString());
        var fault = JsonNode.Parse(result.Output)!["fault"]!;
        Assert.Equal((kind, sequence), ((string)fault["kind"]!, (long)fault["sequence"]!));
    }
}
