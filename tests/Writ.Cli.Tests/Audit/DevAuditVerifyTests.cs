using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Writ.Cli.Commands;
using Writ.Cli.Tests.EndToEnd;

namespace Writ.Cli.Tests.Audit;

// The log a real `writ dev` writes (its own audit writer, key and checkpoints) verifies with the key
// it publishes, while it runs and after it stopped, and a raw edit of it is caught.
public sealed class DevAuditVerifyTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LogWrittenByWritDev_VerifiesWithItsPublishedKey_AndAnEditIsCaught()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("writ-audit-dev-").FullName;
        try
        {
            string key;
            string data;
            await using (var dev = await WritHost.StartAsync(HostStorage.Sqlite, workingDirectory))
            {
                data = dev.DataDirectory;
                for (var i = 0; i < 5; i++)
                {
                    var added = await dev.CliAsync("owner", "add", $"owner-{i}");
                    Assert.True(added.ExitCode == 0, added.ToString());
                }

                using var http = new HttpClient();
                key = (await http.GetStringAsync(new Uri(dev.Url, "/.well-known/writ-audit-key"), Token)).Trim();

                var whileRunning = await Verify(workingDirectory, data, key);
                Assert.True(whileRunning.ExitCode == 0, whileRunning.ToString());
                Assert.Equal(0, await dev.TerminateAsync());
            }

            var stopped = await Verify(workingDirectory, data, key);
            Assert.True(stopped.ExitCode == 0, stopped.ToString());
            var json = JsonNode.Parse(stopped.Output)!;
            var size = (long)json["treeSize"]!;
            Assert.True(size >= 5, stopped.Output);
            Assert.Equal(size, (long)json["latestCheckpointSize"]!);

            long edited;
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "writ.db")};Pooling=False"))
            {
                await connection.OpenAsync(Token);
                await using var find = connection.CreateCommand();
                find.CommandText = "SELECT min(seq) FROM audit_record WHERE CAST(canonical AS TEXT) LIKE '%owner-2%';";
                edited = (long)(await find.ExecuteScalarAsync(Token))!;
                await using var update = connection.CreateCommand();
                update.CommandText = "UPDATE audit_record SET canonical = CAST(replace(CAST(canonical AS TEXT), 'owner-2', 'owner-X') AS BLOB) WHERE seq = @seq;";
                update.Parameters.AddWithValue("@seq", edited);
                Assert.Equal(1, await update.ExecuteNonQueryAsync(Token));
            }

            var tampered = await Verify(workingDirectory, data, key);
            Assert.True(tampered.ExitCode == AuditVerifyCommand.VerificationFailed, tampered.ToString());
            var fault = JsonNode.Parse(tampered.Output)!["fault"]!;
            Assert.Equal(("edited", edited), ((string)fault["kind"]!, (long)fault["sequence"]!));
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    private static Task<Support.CliResult> Verify(string workingDirectory, string data, string key) =>
        WritProcess.RunAsync(workingDirectory, null, "audit", "verify", "--data", data, "--key", key, "--json");
}
