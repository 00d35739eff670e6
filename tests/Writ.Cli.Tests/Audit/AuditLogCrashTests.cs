using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Writ.Cli.Tests.EndToEnd;
using Writ.Core.Audit;
using Writ.Storage.Sqlite;

namespace Writ.Cli.Tests.Audit;

// A real `writ dev` killed with SIGKILL while token issuances and admin changes are in flight: the log
// it leaves verifies, and every action a client saw succeed has its audit record.
public sealed class AuditLogCrashTests
{
    private const int Workers = 8;
    private const int JoinTokens = 48;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SigkillDuringAppends_LeavesALogThatVerifies_WithEveryRecordWhoseActionSucceeded()
    {
        var directory = Directory.CreateTempSubdirectory("writ-audit-crash-").FullName;
        try
        {
            var issued = new ConcurrentBag<string>();
            var owners = new ConcurrentBag<string>();
            var host = await WritHost.StartAsync(HostStorage.Sqlite, directory);
            await using (host)
            {
                using var admin = new HttpClient { BaseAddress = host.Url };
                admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(host.AdminTokenFile, Ct)).Trim());
                await PostAsync(admin, "admin/v1/owners", new { name = "alice" });
                await PostAsync(admin, "admin/v1/agents", new { name = "research", owner = "alice" });
                var joinTokens = new ConcurrentQueue<string>();
                for (var i = 0; i < JoinTokens; i++)
                {
                    var created = await PostAsync(admin, "admin/v1/join-tokens", new { agent = "research" });
                    joinTokens.Enqueue(created["token"]!.GetValue<string>());
                }

                // Half the workers exchange join tokens, half add owners; the kill lands while they run.
                using var stop = new CancellationTokenSource();
                var succeeded = 0;
                var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
                {
                    using var http = new HttpClient { BaseAddress = host.Url };
                    http.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        try
                        {
                            if (w % 2 == 0)
                            {
                                if (!joinTokens.TryDequeue(out var joinToken))
                                {
                                    return;
                                }

                                var token = await ExchangeAsync(http, joinToken);
                                if (token is not null)
                                {
                                    issued.Add(token);
                                }
                            }
                            else
                            {
                                var name = $"owner-{w}-{n}";
                                using var response = await http.PostAsJsonAsync("admin/v1/owners", new { name }, CancellationToken.None);
                                if (response.IsSuccessStatusCode)
                                {
                                    owners.Add(name);
                                }
                            }

                            Interlocked.Increment(ref succeeded);
                        }
                        catch (HttpRequestException)
                        {
                            // The server died under this request; whatever it did is not known to have succeeded.
                            return;
                        }
                    }
                })).ToList();

                while (Volatile.Read(ref succeeded) < 40 && workers.Any(t => !t.IsCompleted))
                {
                    await Task.Delay(5, Ct);
                }

                // SIGKILL (Process.Kill) with requests still in flight.
                await host.DisposeAsync();
                await stop.CancelAsync();
                await Task.WhenAll(workers);
            }

            Assert.NotEmpty(issued);
            Assert.NotEmpty(owners);
            await using var store = new SqliteWritStore(Path.Combine(directory, ".writ", SqliteWritStore.DatabaseFileName));
            var verification = await AuditStoreVerifier.VerifyAsync(store.Audit, null, [], null, Ct);
            Assert.True(verification.Result.Verified, verification.Result.Fault?.ToString());

            var jtis = new HashSet<string>(StringComparer.Ordinal);
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var row in store.Audit.ReadAsync(0, long.MaxValue, Ct))
            {
                var record = AuditRecordEncoding.Decode(row.Canonical);
                if (record.Type == AuditEventTypes.IdentityIssued)
                {
                    jtis.Add(record.Detail!["jti"]);
                }
                else if (record.Type == AuditEventTypes.AdminChange && record.Decision == "applied" && record.Reason == "owner.add")
                {
                    applied.Add(record.Target!);
                }
            }

            Assert.All(issued, token => Assert.Contains(Jti(token), jtis));
            Assert.All(owners, name => Assert.Contains(name, applied));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<string?> ExchangeAsync(HttpClient http, string joinToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token"] = joinToken,
            ["subject_token_type"] = "urn:writ:params:oauth:token-type:join-token",
            ["audience"] = "https://tools.acme.test",
        });
        using var response = await http.PostAsync("oauth2/token", form, CancellationToken.None);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        return JsonNode.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None))!["access_token"]!.GetValue<string>();
    }

    private static string Jti(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)))!["jti"]!.GetValue<string>();
    }
}
