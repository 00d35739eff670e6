using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Writ.Storage.Postgres;

namespace Writ.Cli.Demo;

// Step 6: a PostgreSQL role minted for the task from a connection of kind postgres_admin, used, and refused
// once the task completes.
internal sealed partial class DemoScenario
{
    private const string Database = "acme_issues";

    private async Task DatabaseAsync(DemoStep step)
    {
        var task = RequireTask();
        ThrowawayCluster cluster;
        try
        {
            cluster = await postgres;
        }
        catch (DemoException e)
        {
            throw new DemoException("no PostgreSQL for this step: " + e.Message);
        }

        await SeedAsync(cluster);
        narrator.Detail($"a throwaway PostgreSQL on 127.0.0.1:{cluster.Port} holds the issue tracker's database {Database}");
        await api.PostAsync("connections", new JsonObject
        {
            ["name"] = ConnectionName,
            ["owner"] = Owner,
            ["kind"] = "postgres_admin",
            ["secret"] = cluster.Password,
            ["host"] = "127.0.0.1",
            ["port"] = cluster.Port,
            ["database"] = Database,
            ["adminUser"] = cluster.Superuser,
            ["grants"] = new JsonArray(new JsonObject { ["schema"] = "public", ["tables"] = new JsonArray("issues"), ["privileges"] = new JsonArray("SELECT") }),
            ["maxLeaseDuration"] = "PT10M",
        }, cancellationToken);
        narrator.Detail($"{Owner} registers the connection {ConnectionName} (kind postgres_admin, grants SELECT on public.issues); its admin password stays inside Writ");

        var lease = await RequestRoleAsync(task);
        var connectionString = lease["connectionString"]!.GetValue<string>();
        var leaseId = lease["leaseId"]!.GetValue<string>();
        var role = lease["role"]!.GetValue<string>();
        var until = lease["expiresAt"]?.GetValue<DateTimeOffset>().ToUniversalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        narrator.Allowed($"lease {leaseId}: role {role} for task {task.Id}, valid until {until} UTC; the connection string is shown to the agent only, once");
        var open = await CountOpenIssuesAsync(connectionString);
        narrator.Allowed($"as {role}: SELECT count(*) FROM issues WHERE state = 'open' → {open}");

        await task.CompleteAsync(cancellationToken);
        narrator.Detail($"the research agent completes task {task.Id}");
        var ended = await WaitForLeaseEndAsync(leaseId);
        narrator.Detail($"lease {leaseId} is {ended["state"]} ({ended["endReason"]})");
        string refusal;
        try
        {
            await CountOpenIssuesAsync(connectionString);
            throw new DemoException($"the role {role} still logs in after its task completed");
        }
        catch (PostgresException e)
        {
            refusal = $"{e.SqlState} {e.MessageText}";
        }

        narrator.Denied($"the same connection string now: {refusal}");
        step.Summary = $"lease {leaseId} (role {role}) read {open} open issues; after completion: lease {ended["state"]}, login refused ({refusal})";
        step.Facts["leaseId"] = leaseId;
        step.Facts["role"] = role;
        step.Facts["openIssues"] = open;
        step.Facts["leaseState"] = ended["state"]?.DeepClone();
        step.Facts["endReason"] = ended["endReason"]?.DeepClone();
        step.Facts["loginRefused"] = refusal;
        document["leaseId"] = leaseId;
    }

    private async Task SeedAsync(ThrowawayCluster cluster)
    {
        await cluster.ExecuteAsync("postgres", $"CREATE DATABASE {Database}", cancellationToken);
        var sql = new StringBuilder("CREATE TABLE issues (number integer PRIMARY KEY, state text NOT NULL, title text NOT NULL);");
        foreach (var issue in DemoFixtures.Issues)
        {
            // Fixed fixture text; quotes are doubled all the same.
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO issues VALUES ({issue.Number}, '{issue.State}', '{issue.Title.Replace("'", "''", StringComparison.Ordinal)}');");
        }

        await cluster.ExecuteAsync(Database, sql.ToString(), cancellationToken);
    }

    // The agent asks for its credential with its task token (POST /leases/v1/postgres-roles).
    private async Task<JsonObject> RequestRoleAsync(Writ.Sdk.AgentTask task)
    {
        using var http = task.CreateHttpClient();
        using var response = await http.PostAsJsonAsync(
            new Uri(environment.Server.Url, "/leases/v1/postgres-roles"),
            new JsonObject { ["connection"] = ConnectionName, ["ttl"] = "PT5M" },
            cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return response.IsSuccessStatusCode && body?["connectionString"] is not null
            ? body
            : throw new DemoException($"Writ refused the database credential ({(int)response.StatusCode}): {body?["detail"] ?? body?["error_description"] ?? body?["title"]}");
    }

    private async Task<long> CountOpenIssuesAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM issues WHERE state = 'open'", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // Writ ends a completed task's leases at once or on the reaper's next pass (every 5 s).
    private async Task<JsonObject> WaitForLeaseEndAsync(string leaseId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var lease = await api.GetAsync("leases/" + Uri.EscapeDataString(leaseId), cancellationToken) as JsonObject
                ?? throw new DemoException($"Writ does not know lease {leaseId}");
            if (lease["state"]?.GetValue<string>() != "active")
            {
                return lease;
            }

            if (attempt == 150)
            {
                throw new DemoException($"lease {leaseId} is still active 30 s after its task completed");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
